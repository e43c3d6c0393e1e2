// Tables on small screens (bricsai.book.chrome). A table wider than its box scrolls sideways;
// the box then says so ("scroll sideways"), takes keyboard focus so it can be scrolled without
// a mouse, and the caption is shown above the box, wrapped to the screen, instead of running
// along the table where half of it is out of sight. Text columns get a readable minimum width.
function bricsaiTableBoxes() {
  return Array.from(document.querySelectorAll(
    "main .pst-scrollable-table-container, main .output .text_html, main div.cell_output div.output"))
    .filter((box) => box.querySelector("table"));
}

function bricsaiMarkCells() {
  document.querySelectorAll("main table td").forEach((cell) => {
    const text = cell.innerText.trim();
    if (/[A-Za-z]{3,}/.test(text) && text.length > 60) cell.classList.add("bricsai-long-cell");
    else if (/[A-Za-z]{3,}/.test(text) && text.length > 25) cell.classList.add("bricsai-text-cell");
  });
}

function bricsaiUpdateTables() {
  bricsaiTableBoxes().forEach((box, i) => {
    const table = box.querySelector("table");
    const overflows = box.scrollWidth > box.clientWidth + 2;
    const caption = table.querySelector("caption");
    box.classList.toggle("bricsai-overflows", overflows);
    let hint = box.previousElementSibling;
    if (!(hint && hint.classList.contains("bricsai-table-head"))) {
      hint = null;
    }
    if (overflows && !hint) {
      hint = document.createElement("div");
      hint.className = "bricsai-table-head";
      hint.setAttribute("aria-hidden", "true");
      if (caption) {
        const copy = document.createElement("p");
        copy.className = "bricsai-table-caption";
        copy.innerHTML = caption.innerHTML;
        copy.querySelectorAll("a.headerlink").forEach((a) => a.remove());
        hint.appendChild(copy);
      }
      const note = document.createElement("span");
      note.className = "bricsai-scroll-hint";
      note.textContent = "Wider than the screen: scroll the table sideways";
      hint.appendChild(note);
      box.parentNode.insertBefore(hint, box);
    }
    if (hint) hint.hidden = !overflows;
    if (caption) caption.classList.toggle("bricsai-visually-hidden", overflows);
    if (overflows) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const name = caption ? caption.innerText.replace(/\s+/g, " ").trim() : `Table ${i + 1}`;
      box.setAttribute("aria-label", `${name} (scrolls sideways)`);
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}

function bricsaiTablesInit() {
  bricsaiMarkCells();
  bricsaiUpdateTables();
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(bricsaiUpdateTables, 150);
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", bricsaiTablesInit);
} else {
  bricsaiTablesInit();
}
