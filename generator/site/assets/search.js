/*
 * Search on the Pagefind index (written by generator/site/search.py): the box in the header
 * (a few results as you type, Enter opens the full page) and the full page tim-kiem/ (filters,
 * "more results", state in the URL).
 *
 * Pagefind is loaded on first use only, from the site's own pagefind/ folder (no third-party
 * host). Queries are normalised to NFC, so text typed or pasted in NFD (common from Windows
 * tools) ranks exact-diacritic matches first like any other query.
 */
(function () {
  "use strict";

  var esc = window.sangkien.esc;
  var fmt = window.sangkien.fmt;
  var debounce = window.sangkien.debounce;

  var script = document.currentScript;
  // This file is assets/sangkien/search.js: the site root is two folders up.
  var ROOT = new URL("../../", script ? script.src : window.location.href);
  var HEADER_RESULTS = 6;
  var PAGE_RESULTS = 10;
  var DEBOUNCE_MS = 200;

  // The index may come in parts (generator/site/search.py splits a large registry so that
  // each Pagefind run stays within its memory budget): pagefind/ is the primary part and
  // pagefind/sangkien-parts.json lists the others, which are merged into it. Parts share the
  // primary's WebAssembly, so a part costs only its own metadata and chunks; but each part
  // has its own chunks for a word, so a search first answers from the primary part alone.
  var BUNDLE = new URL("pagefind/", ROOT);
  var partsLoading = null;
  function partList() {
    if (!partsLoading) {
      partsLoading = fetch(new URL("sangkien-parts.json", BUNDLE).href)
        .then(function (r) {
          return r.ok ? r.json() : { parts: [] };
        })
        .then(function (d) {
          return Array.isArray(d.parts) ? d.parts : [];
        })
        .catch(function () {
          return [];
        });
    }
    return partsLoading;
  }

  // Pagefind's exactDiacritics is an option of an instance (and of each merged part), fixed
  // when it is made: instances search loosely or exactly, and either the primary part alone
  // or every part merged. All read the same files, which the browser fetches once.
  var instances = {};
  function instance(exact, parts) {
    var key = (exact ? "exact" : "loose") + ":" + parts.length;
    if (!instances[key]) {
      var options = { baseUrl: ROOT.pathname, excerptLength: 24, exactDiacritics: exact };
      instances[key] = import(new URL("pagefind.js", BUNDLE).href).then(function (module) {
        var pf = module.createInstance(Object.assign({ basePath: BUNDLE.href }, options));
        return Promise.resolve(pf.init())
          .then(function () {
            return Promise.all(
              parts.map(function (part) {
                return pf.mergeIndex(new URL(part, BUNDLE).href, options);
              })
            );
          })
          .then(function () {
            return pf;
          });
      });
      instances[key].catch(function () {
        delete instances[key];
      });
    }
    return instances[key];
  }

  // What the rest of this file searches through. `staged`: the index has parts, and a search
  // answers first from the primary part alone (its chunks are all a slow link must download
  // before results show), then from every part (see find). filters() covers every part.
  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = Promise.all([partList(), instance(false, [])]).then(function (got) {
        var parts = got[0];
        return {
          staged: parts.length > 0,
          search: function (q, options, exact, everyPart) {
            return instance(exact, everyPart ? parts : []).then(function (pf) {
              return pf.search(q, options);
            });
          },
          filters: function () {
            return instance(false, parts).then(function (pf) {
              return pf.filters();
            });
          },
        };
      });
      loading.catch(function () {
        loading = null;
      });
    }
    return loading;
  }

  // Pagefind ignores tone marks but keeps "đ" apart from "d", so "doi moi" would not reach
  // "đổi mới" in titles and headings. Đ only begins a Vietnamese syllable: for each plain
  // ASCII word starting with d (at most three), also search the đ spelling, and keep each
  // page's best score. Words typed with diacritics are taken as written.
  var MAX_D_WORDS = 3;
  function variants(q) {
    var words = q.split(" ");
    var at = [];
    words.forEach(function (w, i) {
      if (/^d[a-z]*$/i.test(w) && at.length < MAX_D_WORDS) at.push(i);
    });
    var out = [q];
    for (var mask = 1; mask < 1 << at.length; mask++) {
      var copy = words.slice();
      at.forEach(function (wi, bit) {
        if (mask & (1 << bit)) copy[wi] = "đ" + copy[wi].slice(1);
      });
      out.push(copy.join(" "));
    }
    return out;
  }

  function byScore(a, b) {
    return b.score - a.score;
  }

  function hasMarks(q) {
    return /[\u0300-\u036f\u0111\u0110]/.test(q.normalize("NFD"));
  }

  function merge(exactSearch, looseSearches) {
    var first = exactSearch ? exactSearch.results.slice().sort(byScore) : [];
    var seen = {};
    first.forEach(function (r) {
      seen[r.id] = true;
    });
    var best = {};
    looseSearches.forEach(function (search) {
      (search ? search.results : []).forEach(function (r) {
        if (seen[r.id]) return;
        if (!best[r.id] || best[r.id].score < r.score) best[r.id] = r;
      });
    });
    var rest = Object.keys(best)
      .map(function (id) {
        return best[id];
      })
      .sort(byScore);
    return first.concat(rest);
  }

  // All pages for `q`: when it has diacritics, pages that match them exactly come first (the
  // issue's rule), then the pages that match only once folded. Resolves with
  // {results, more}: `more` is null, or a function that resolves with the complete results:
  // those of every part of the index (when it has parts, the first results come from the
  // primary part alone) and of the đ spellings of plain-d words (see variants). Both load
  // more index chunks, so callers show the first results before calling it.
  function find(pf, q, options) {
    options = options || {};
    if (!q) {
      // A listing by filters only: every part at once, so that the counts are right.
      return pf.search(null, options, false, true).then(function (search) {
        return { results: search ? search.results : [], more: null };
      });
    }
    var marks = hasMarks(q);
    var first = !pf.staged;
    var exact = marks ? pf.search(q, options, true, first) : Promise.resolve(null);
    var base = pf.search(q, options, false, first);
    return Promise.all([exact, base]).then(function (found) {
      var others = variants(q).slice(1);
      var more = null;
      if (pf.staged || others.length) {
        more = function () {
          var exactAll = !marks
            ? Promise.resolve(null)
            : pf.staged
              ? pf.search(q, options, true, true)
              : Promise.resolve(found[0]);
          var loose = [pf.staged ? pf.search(q, options, false, true) : Promise.resolve(found[1])];
          others.forEach(function (v) {
            loose.push(pf.search(v, options, false, true));
          });
          return Promise.all([exactAll].concat(loose)).then(function (all) {
            return merge(all[0], all.slice(1));
          });
        };
      }
      return { results: merge(found[0], [found[1]]), more: more };
    });
  }

  function normalise(q) {
    return String(q || "").normalize("NFC").replace(/\s+/g, " ").trim();
  }

  // Pagefind's excerpt marks hits with <mark>; keep those and nothing else (records are
  // untrusted input).
  function safeExcerpt(htmlText) {
    var t = document.createElement("template");
    t.innerHTML = htmlText || "";
    var out = "";
    t.content.childNodes.forEach(function (node) {
      var text = esc(node.textContent);
      out += node.nodeName === "MARK" ? "<mark>" + text + "</mark>" : text;
    });
    return out;
  }

  function hitHtml(data, heading) {
    var meta = data.meta || {};
    var bits = [];
    if (meta.agency) bits.push('<span class="sk-hit__agency">' + esc(meta.agency) + "</span>");
    if (meta.year) bits.push('<span class="sk-hit__year">' + esc(meta.year) + "</span>");
    if (meta.level) bits.push('<span class="sk-badge">' + esc(meta.level) + "</span>");
    return (
      '<li class="sk-hit"><' + heading + ' class="sk-hit__title"><a href="' + esc(data.url) +
      '">' + esc(meta.title || data.url) + "</a></" + heading + ">" +
      (bits.length ? '<p class="sk-hit__meta">' + bits.join(" ") + "</p>" : "") +
      '<p class="sk-hit__excerpt">' + safeExcerpt(data.excerpt) + "</p></li>"
    );
  }

  // ---- the header box ------------------------------------------------------------------------
  function Header(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.input = root.querySelector("input[type=search]");
    this.panel = root.querySelector("[data-sk-panel]");
    this.status = root.querySelector("[data-sk-status]");
    this.list = root.querySelector("[data-sk-list]");
    this.all = root.querySelector("[data-sk-all]");
    this.serial = 0;
    var self = this;
    this.input.addEventListener("focus", function () {
      pagefind().catch(function () {});
    });
    this.input.addEventListener(
      "input",
      debounce(function () {
        self.search(self.input.value);
      }, DEBOUNCE_MS)
    );
    this.input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !self.panel.hidden) {
        var first = self.panel.querySelector("a");
        if (first) {
          e.preventDefault();
          first.focus();
        }
      } else if (e.key === "Escape") {
        self.close();
      }
    });
    this.panel.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(self.panel.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at >= 0 && at < links.length - 1) {
        e.preventDefault();
        links[at + 1].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault();
        (at === 0 ? self.input : links[at - 1]).focus();
      } else if (e.key === "Escape") {
        self.close();
        self.input.focus();
      }
    });
    document.addEventListener("click", function (e) {
      if (!self.root.contains(e.target)) self.close();
    });
    this.root.addEventListener("focusout", function () {
      setTimeout(function () {
        if (!self.root.contains(document.activeElement)) self.close();
      }, 0);
    });
  }

  Header.prototype.close = function () {
    this.panel.hidden = true;
  };

  Header.prototype.search = function (raw) {
    var self = this;
    var q = normalise(raw);
    var serial = ++this.serial;
    if (!q) {
      this.close();
      return;
    }
    this.all.href = this.form.action.split("?")[0] + "?q=" + encodeURIComponent(q);
    pagefind()
      .then(function (pf) {
        return find(pf, q);
      })
      .then(function (found) {
        if (serial !== self.serial) return null;
        return self.show(q, found.results, serial).then(function () {
          if (!found.more || serial !== self.serial) return null;
          return found.more().then(function (results) {
            if (serial === self.serial) return self.show(q, results, serial);
          });
        });
      })
      .catch(function () {
        self.status.textContent = "Chưa tải được chỉ mục tìm kiếm.";
        self.panel.hidden = false;
      });
  };

  Header.prototype.show = function (q, results, serial) {
    var self = this;
    return Promise.all(
      results.slice(0, HEADER_RESULTS).map(function (r) {
        return r.data();
      })
    ).then(function (data) {
      if (serial !== self.serial) return;
      self.list.innerHTML = data
        .map(function (d) {
          return hitHtml(d, "p");
        })
        .join("");
      var n = results.length;
      self.status.textContent = n
        ? "Tìm thấy " + fmt(n) + " kết quả."
        : "Không tìm thấy kết quả nào cho “" + q + "”.";
      self.panel.hidden = false;
    });
  };

  // ---- the full page tim-kiem/ ----------------------------------------------------------------
  function Full(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.input = root.querySelector("#sk-find-q");
    this.filterBox = root.querySelector("[data-sk-filters]");
    this.selects = Array.prototype.slice.call(root.querySelectorAll("select[data-sk-filter]"));
    this.status = root.querySelector("[data-sk-status]");
    this.list = root.querySelector("[data-sk-results]");
    this.more = root.querySelector("[data-sk-more]");
    this.serial = 0;
    this.results = [];
    this.shown = 0;
    var self = this;
    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.run(true);
    });
    this.input.addEventListener(
      "input",
      debounce(function () {
        self.run("replace");
      }, DEBOUNCE_MS)
    );
    this.selects.forEach(function (select) {
      select.addEventListener("change", function () {
        self.run(true);
      });
    });
    this.more.addEventListener("click", function () {
      self.showMore(true);
    });
    window.addEventListener("popstate", function () {
      self.readUrl();
      self.run(false);
    });
    this.readUrl();
    var params = new URLSearchParams(window.location.search);
    var wantsFilter = this.selects.some(function (select) {
      return params.get(select.name);
    });
    if (wantsFilter) {
      // A shared link with filters: their options must exist before the first search.
      this.filtersOnce().then(function () {
        self.run(false);
      });
    } else {
      // The filter lists cost a few hundred kilobytes at 10,000 records (each part has its
      // own): fetch them with the first results, not before. Opened without a query, the
      // page would otherwise download them before the visitor types, ahead of the index
      // chunks the first results need (the filters stay hidden until they are filled).
      Promise.resolve(this.run(false)).then(function () {
        if (self.list.children.length) self.filtersOnce();
      });
    }
  }

  Full.prototype.filtersOnce = function () {
    if (!this.filtersLoading) this.filtersLoading = this.loadFilters();
    return this.filtersLoading;
  };

  Full.prototype.loadFilters = function () {
    var self = this;
    return pagefind()
      .then(function (pf) {
        return pf.filters();
      })
      .then(function (filters) {
        self.fillFilters(filters || {});
        // Only the filters: the visitor may have typed while the index was loading.
        self.readUrl(true);
      })
      .catch(function () {
        self.status.textContent = "Chưa tải được chỉ mục tìm kiếm. Hãy thử tải lại trang.";
      });
  };

  Full.prototype.fillFilters = function (filters) {
    var collator = new Intl.Collator("vi");
    this.selects.forEach(function (select) {
      var key = select.getAttribute("data-sk-filter");
      var values = Object.keys(filters[key] || {});
      if (key === "nam") values.sort().reverse();
      else values.sort(collator.compare);
      var html = '<option value="">Tất cả</option>';
      values.forEach(function (v) {
        html += '<option value="' + esc(v) + '">' + esc(v) + " (" + fmt(filters[key][v]) + ")</option>";
      });
      select.innerHTML = html;
      select.parentNode.hidden = values.length === 0;
    });
    this.filterBox.hidden = false;
  };

  Full.prototype.readUrl = function (filtersOnly) {
    var params = new URLSearchParams(window.location.search);
    if (!filtersOnly) this.input.value = normalise(params.get("q"));
    this.selects.forEach(function (select) {
      var want = params.get(select.name) || "";
      var has = Array.prototype.some.call(select.options, function (o) {
        return o.value === want;
      });
      // Filter options arrive with the index; readUrl runs again once they are there.
      select.value = has ? want : "";
    });
  };

  Full.prototype.run = function (history) {
    var self = this;
    var q = normalise(this.input.value);
    var filters = {};
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    this.selects.forEach(function (select) {
      if (select.value) {
        filters[select.name] = select.value;
        params.set(select.name, select.value);
      }
    });
    if (history) {
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "");
      if (url !== window.location.pathname + window.location.search) {
        if (history === "replace") window.history.replaceState(null, "", url);
        else window.history.pushState(null, "", url);
      }
    }
    var serial = ++this.serial;
    this.root.removeAttribute("data-sk-done");
    if (!q && !Object.keys(filters).length) {
      this.list.innerHTML = "";
      this.more.hidden = true;
      this.status.textContent = "Gõ từ khóa để tìm.";
      return Promise.resolve();
    }
    return pagefind()
      .then(function (pf) {
        // A null query lists everything that matches the filters.
        return find(pf, q, { filters: filters });
      })
      .then(function (found) {
        if (serial !== self.serial) return null;
        var settled = self.show(q, found.results).then(function () {
          if (!found.more || serial !== self.serial) return null;
          return found.more().then(function (results) {
            if (serial === self.serial) return self.show(q, results);
          });
        });
        return settled.then(function () {
          // For tests and scripts: the results are final (no more đ variants to merge).
          if (serial === self.serial) self.root.setAttribute("data-sk-done", "");
          if (self.list.children.length) self.filtersOnce();
        });
      })
      .catch(function () {
        self.status.textContent = "Chưa tải được chỉ mục tìm kiếm. Hãy thử tải lại trang.";
      });
  };

  Full.prototype.show = function (q, results) {
    this.token = (this.token || 0) + 1;
    this.results = results;
    this.shown = 0;
    this.list.innerHTML = "";
    var n = results.length;
    this.status.textContent = n
      ? "Tìm thấy " + fmt(n) + " kết quả" + (q ? " cho “" + q + "”" : "") + "."
      : "Không tìm thấy kết quả nào" + (q ? " cho “" + q + "”" : "") +
        ". Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.";
    return this.showMore(false);
  };

  Full.prototype.showMore = function (focusNew) {
    var self = this;
    var token = this.token;
    var slice = this.results.slice(this.shown, this.shown + PAGE_RESULTS);
    return Promise.all(
      slice.map(function (r) {
        return r.data();
      })
    ).then(function (data) {
      if (token !== self.token) return;
      var start = self.shown;
      self.list.insertAdjacentHTML(
        "beforeend",
        data
          .map(function (d) {
            return hitHtml(d, "h2");
          })
          .join("")
      );
      self.shown += data.length;
      self.more.hidden = self.shown >= self.results.length;
      if (focusNew && data.length) {
        var link = self.list.children[start].querySelector("a");
        if (link) link.focus();
      }
    });
  };

  function init() {
    var headers = document.querySelectorAll("[data-sk-search]:not([data-sk-init])");
    for (var i = 0; i < headers.length; i++) {
      headers[i].setAttribute("data-sk-init", "1");
      new Header(headers[i]);
    }
    var pages = document.querySelectorAll("[data-sk-find]:not([data-sk-init])");
    for (var j = 0; j < pages.length; j++) {
      pages[j].setAttribute("data-sk-init", "1");
      new Full(pages[j]);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
