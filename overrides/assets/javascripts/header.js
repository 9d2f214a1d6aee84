// Deferred on every page; why each part, in overrides/main.html (block config). Comments here
// are kept short: every byte of this file is in every first view.
// 1. hreflang alternates: no rel while Material's DOMContentLoaded listener looks for sitemaps.
(function () {
  var links = document.querySelectorAll("link[rel=alternate][hreflang]");
  if (!links.length) return;
  links.forEach(function (link) { link.rel = ""; });
  document.addEventListener("DOMContentLoaded", function () {
    links.forEach(function (link) { link.rel = "alternate"; });
  }, { once: true });
})();

// 2. Accessible names (axe: aria-dialog-name, label, label-content-name-mismatch).
(function () {
  var input = document.querySelector(".md-search__input");
  var name = input && input.getAttribute("aria-label");
  if (name) {
    document.querySelectorAll(".md-search, #__search").forEach(function (el) {
      el.setAttribute("aria-label", name);
    });
  }
  // Material escapes footer link titles twice ("Sales &amp;amp; Marketing"): name them from
  // their visible text again.
  document.querySelectorAll(".md-footer__link").forEach(function (link) {
    var parts = link.querySelectorAll(".md-footer__direction, .md-ellipsis");
    if (parts.length === 2) {
      link.setAttribute("aria-label", parts[0].textContent.trim() + ": " + parts[1].textContent.trim());
    }
  });
  // The version button is built later by Material's JavaScript, inside the header's title:
  // name it when it appears, keeping its visible text. Only the title is
  // watched (Lighthouse counted the old whole-page watch).
  var topic = document.querySelector(".md-header__topic");
  if (!topic) return;
  function nameVersion() {
    var button = topic.querySelector(".md-version__current");
    if (!button) return false;
    // A real space before the alias ("latest", spaced by CSS only): "1.0 latest" is then the
    // visible text and the name at every width ("1.0" alone on a phone, where extra.css hides
    // the alias; axe compares words). textContent needs no layout: innerText forced one.
    var alias = button.querySelector(".md-version__alias");
    if (alias && alias.previousSibling && !/\s$/.test(alias.previousSibling.textContent)) {
      button.insertBefore(document.createTextNode(" "), alias);
    }
    var text = button.textContent.replace(/\s+/g, " ").trim();
    button.setAttribute("aria-label", (button.getAttribute("aria-label") || "") + ": " + text);
    return true;
  }
  // This script is deferred: versions.json may have arrived, and the button be there, already.
  if (nameVersion()) return;
  new MutationObserver(function (_, observer) {
    if (nameVersion()) observer.disconnect();
  }).observe(topic, { childList: true, subtree: true });
})();
