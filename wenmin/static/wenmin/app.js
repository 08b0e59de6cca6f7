/* Wenmin's small behaviours, by data attributes: no inline script, so the Content-Security-Policy
   can forbid them all. Each one only makes a form quicker to use; every form works without it. */
(() => {
  "use strict";

  // A select that sends its form when it changes (language, sort orders).
  document.addEventListener("change", (event) => {
    const field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });

  // A checkbox that ticks every case box of its table.
  document.addEventListener("click", (event) => {
    const box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]")) return;
    const table = box.closest("table");
    if (!table) return;
    for (const other of table.querySelectorAll("input[name=case]")) other.checked = box.checked;
  });

  // A button that prints the page (the acknowledgement slip).
  document.addEventListener("click", (event) => {
    if (event.target.matches && event.target.matches("button[data-print]")) window.print();
  });

  // Registering a case: show only the chosen category's extra questions.
  const category = document.querySelector("select[data-extra-questions]");
  if (category) {
    const show = () => {
      for (const set of document.querySelectorAll("fieldset.extra")) {
        set.hidden = set.dataset.category !== category.value;
        for (const input of set.querySelectorAll("input, select")) input.disabled = set.hidden;
      }
    };
    category.addEventListener("change", show);
    show();
  }

  // Replying: a response template fills the reply box.
  document.addEventListener("change", (event) => {
    if (event.target.id !== "reply-template") return;
    const source = document.getElementById("reply-templates");
    const reply = document.getElementById("reply-reply");
    if (!source || !reply) return;
    const texts = JSON.parse(source.textContent);
    if (texts[event.target.value]) reply.value = texts[event.target.value];
  });
})();
