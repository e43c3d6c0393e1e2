// Sidebar toggles that work at every width.
//
// The pinned themes (sphinx-book-theme 1.3 on pydata-sphinx-theme 0.17) each put a chapter-list
// button (.primary-toggle) and a contents button (.secondary-toggle) on the page: the pydata
// copy sits in a header the book theme hides, the visible copy in the article header. Both
// themes bind their handlers with document.querySelector, i.e. to the first, hidden copy, so the
// visible buttons do nothing. Here every other copy passes its click on to the bound one, which
// then runs the themes' own code (a dialog on narrow screens, collapsing the sidebar on wide ones).
function bricsaiForwardSidebarToggles() {
  [".primary-toggle", ".secondary-toggle"].forEach((selector) => {
    const [bound, ...others] = document.querySelectorAll(selector);
    others.forEach((button) => {
      if (button.dataset.bricsaiForward) return;
      button.dataset.bricsaiForward = "1";
      button.setAttribute("aria-haspopup", "dialog");
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    });
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", bricsaiForwardSidebarToggles);
} else {
  bricsaiForwardSidebarToggles();
}
