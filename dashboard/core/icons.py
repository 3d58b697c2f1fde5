"""Every icon the dashboard shows, in one place.

A school's Debian machine often has no emoji font: a pictograph such as U+1F4C8 (a chart) is then
an empty box on the projector. Material icons would instead make the browser fetch a font from
the internet. So each icon here is a symbol that DejaVu Sans (Debian's default font, present
wherever Chromium is) draws, and that Streamlit also accepts as an emoji where an argument must be
one (page, button and message icons); Windows and macOS draw them with their own fonts.
tests/test_icons.py checks both for every symbol in the dashboard's sources and texts.
"""

# The pages (the sidebar and the lesson's links).
HOME = "↔"  # the map: from every example labelled to none
LESSON = "✏"
TRY = "✍"
STUDY = "↗"
SEMI_SUPERVISED = "♻"  # the model's own answers fed back as labels
GAN = "⚔"  # two networks playing against each other
SELF_SUPERVISED = "✂"  # tasks made up by cutting, turning, shuffling
COLOURISATION = "☀"
CLASS_LABELS = "☑"
MODELS = "⚙"

# Messages and buttons.
SUCCESS = "✔"
WARNING = "⚠"
ERROR = "✖"
INFO = "ℹ"
TEACHER = "☝"  # what only the teacher opens
GOING_FURTHER = "❇"  # a folded part of a page, opened when the class is ready for more
ANOTHER = "↪"  # another digit, another grid, new questions
RECHECK = "⚖"  # weigh the shipped models against the study's numbers
DRAW = "✏"
MACHINE = "⚙"
REVEAL = "ℹ"
RESET = "↩"
CLASS_RIGHT = "☺"
CLASS_WRONG = "☹"
DOWNLOAD = "⬇"
NEXT = "➡"
HUMAN = "✍"  # "a person wrote it"
RUN = "▶"
