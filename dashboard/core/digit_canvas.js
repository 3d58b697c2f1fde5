// A square canvas to draw one digit with a mouse, a pen or a finger (Pointer Events), for
// dashboard/core/digit_canvas.py. Dark ink on white, like a pen on paper; every finished stroke sends
// the whole drawing to Python as a PNG data URL in the state value "drawing" (null once cleared).
// Everything is inline: no file, font or script is fetched from anywhere.
//
// Streamlit calls this function when the component mounts and again when its data changes, so it
// builds the canvas once, keeps it (and the drawing) across calls, and only refreshes its texts.

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const side = data.side;
  let root = parentElement.querySelector(".digit-canvas");
  if (!root) {
    root = document.createElement("div");
    root.className = "digit-canvas";
    root.innerHTML =
      '<canvas class="digit-canvas__board"></canvas>' +
      '<button type="button" class="digit-canvas__clear"></button>';
    parentElement.appendChild(root);
  }
  const canvas = root.querySelector("canvas");
  const clearButton = root.querySelector("button");
  const context = canvas.getContext("2d");

  if (canvas.width !== side || canvas.height !== side) {
    canvas.width = side;
    canvas.height = side;
    paintPaper();
  }
  root.style.setProperty("--display-side", `${data.display_side}px`);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", data.canvas_label);
  clearButton.textContent = data.clear_label;

  function paintPaper() {
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, side, side);
  }

  // Pointer position in canvas pixels, whatever size the page draws the canvas at.
  function position(event) {
    const box = canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) * side) / box.width,
      ((event.clientY - box.top) * side) / box.height,
    ];
  }

  let last = null;
  const listeners = new AbortController();
  const options = { signal: listeners.signal };

  canvas.addEventListener(
    "pointerdown",
    (event) => {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = position(event);
      context.fillStyle = data.ink;
      context.beginPath();
      context.arc(last[0], last[1], data.pen / 2, 0, 2 * Math.PI);
      context.fill();
    },
    options,
  );
  canvas.addEventListener(
    "pointermove",
    (event) => {
      if (last === null) return;
      const next = position(event);
      context.strokeStyle = data.ink;
      context.lineWidth = data.pen;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.beginPath();
      context.moveTo(last[0], last[1]);
      context.lineTo(next[0], next[1]);
      context.stroke();
      last = next;
    },
    options,
  );
  const finishStroke = () => {
    if (last === null) return;
    last = null;
    setStateValue("drawing", canvas.toDataURL("image/png"));
  };
  canvas.addEventListener("pointerup", finishStroke, options);
  canvas.addEventListener("pointercancel", finishStroke, options);
  clearButton.addEventListener(
    "click",
    () => {
      paintPaper();
      setStateValue("drawing", null);
    },
    options,
  );

  return () => listeners.abort();
}
