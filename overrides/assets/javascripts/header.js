// The page head's hreflang alternates, kept from Material's language-site lookup, and accessible
// names Material's markup lacks or gets wrong; deferred on every page (overrides/main.html).

// hreflang: on DOMContentLoaded Material fetches a sitemap.xml beside every <link rel=alternate>
// (its lookup of the same page on another language's site), which does not exist beside our
// pages: a failed request per language. The language menu already links the same page in
// every language, so that lookup is not needed. A deferred script runs after Material's bundle
// has subscribed to DOMContentLoaded and before the event, so the alternates lose their rel
// here and get it back in a listener added now, which runs after Material's: the HTML and the
// page after load (what crawlers and Lighthouse read) keep rel="alternate".
(function () {
  var links = document.querySelectorAll("link[rel=alternate][hreflang]");
  if (!links.length) return;
  links.forEach(function (link) { link.rel = ""; });
  document.addEventListener("DOMContentLoaded", function () {
    links.forEach(function (link) { link.rel = "alternate"; });
  }, { once: true });
})();

// Accessible names (axe: aria-dialog-name, label, label-content-name-mismatch).
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
    // The name holds the button's whole text, "1.0latest" (the alias is spaced by CSS only), so
    // it contains what is visible at every width ("1.0" on a phone, where extra.css hides the
    // alias). textContent needs no layout: innerText forced one, a long task Lighthouse counted.
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
