// Material's search worker protocol answered by Pagefind; started by the Blob worker that
// overrides/partials/search-worker.html gives Material, on the reader's first query (so
// nothing here is fetched before). `self.playbookSearch(options)` installs the handler.
(function () {
// Runs inside the worker: no DOM, only `self`, `fetch` and `import()`. Pagefind's excerpts come
// escaped, with <mark> around the matches (Material inserts result text as HTML); titles are
// escaped here.
function worker(options) {
  var QUERY = 2, RESULT = 3;
  var loading = null;
  var latest = 0;

  function pagefind() {
    if (!loading) {
      loading = import(options.bundle).then(function (pf) {
        return pf.options({ baseUrl: options.base, excerptLength: 24 }).then(function () { return pf; });
      });
    }
    return loading;
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function item(location, title, text, score, terms) {
    return { location: location, title: escape(title), text: text, score: score, terms: terms };
  }

  function document(result, data, terms) {
    var score = result.score;
    var title = (data.meta && data.meta.title) || data.url;
    // Sections: the page's headings below its title (the title's own anchor repeats the page).
    var sections = data.sub_results.filter(function (sub) {
      return sub.url.indexOf("#") !== -1 && sub.title !== title;
    });
    var page = item(data.url, title, data.excerpt, score, terms);
    // The two best sections are shown under the page; the rest go behind "more".
    return [page].concat(sections.slice(0, 6).map(function (sub, i) {
      return item(sub.url, sub.title, sub.excerpt, i < 2 ? score : score / 2, terms);
    }));
  }

  self.onmessage = function (event) {
    var message = event.data;
    if (!message || message.type !== QUERY) return;
    var query = String(message.data || "").trim();
    var id = ++latest;
    if (!query) {
      self.postMessage({ type: RESULT, data: { items: [] } });
      return;
    }
    var terms = {};
    query.split(/\s+/).forEach(function (term) { terms[term] = true; });
    pagefind()
      .then(function (pf) { return pf.search(query); })
      .then(function (search) {
        return Promise.all(search.results.map(function (result) {
          return result.data().then(function (data) { return document(result, data, terms); });
        }));
      })
      .then(function (items) {
        if (id === latest) self.postMessage({ type: RESULT, data: { items: items } });
      });
  };
}

self.playbookSearch = worker;
})();
