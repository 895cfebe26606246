/*
 * The catalogue ("Tra cứu sáng kiến"): filters, counts, sorts and pages every initiative in
 * the browser from api/v1/catalogue.json (written by generator/render/catalogue.py).
 *
 * Built for 10,000 records on a phone: the folded search strings are made once at load; a
 * change of filter is one pass over flat arrays (disjunctive facet counts in the same pass);
 * the three sort orders are computed once, lazily; only the 20 cards of the current page are
 * rendered; typing is debounced. The state lives in the URL query string, so a filtered view
 * can be shared and the back button works.
 */
(function () {
  "use strict";

  var esc = window.sangkien.esc;
  var fmt = window.sangkien.fmt;
  var debounce = window.sangkien.debounce;

  var PAGE_SIZE = 20;
  var DEBOUNCE_MS = 150;
  var NO_LEVEL = "chua-cong-nhan";

  // Facets in display order. `col` is the row column (see COLUMNS in catalogue.py).
  var FACETS = [
    { key: "fields", param: "linh-vuc", legend: "Lĩnh vực", col: 5 },
    { key: "levels", param: "cap", legend: "Cấp công nhận", col: 6 },
    { key: "years", param: "nam", legend: "Năm", col: 7 },
    { key: "types", param: "loai", legend: "Loại giải pháp", col: 8 },
    { key: "readiness", param: "san-sang", legend: "Mức sẵn sàng nhân rộng", col: 9 },
    { key: "agencies", param: "co-quan", legend: "Cơ quan", col: 4, select: true },
  ];
  var SORTS = { new: true, adopted: true, title: true };

  // Same folding as generator.text.vn.fold: lower case, NFD, drop combining marks, đ -> d.
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  function fold(s) {
    return String(s)
      .toLowerCase()
      .normalize("NFD")
      .replace(MARKS, "")
      .replace(/[đð]/g, "d");
  }
  var SPLIT = /[^0-9a-z\u00c0-\uffff&]+/;
  var SPLIT_ALL = /[^0-9a-z\u00c0-\uffff&]+/g;
  // " word word ... " for matching at word starts; one pass per regex, no arrays.
  function haystack(s) {
    return " " + fold(s).replace(SPLIT_ALL, " ").trim() + " ";
  }
  function tokens(s) {
    return fold(s)
      .split(SPLIT)
      .filter(function (t) {
        return t.length > 0;
      });
  }

  function Catalogue(root) {
    this.root = root;
    this.base = root.getAttribute("data-root") || "../";
    this.form = root.querySelector("[data-sk-form]");
    this.facetBox = root.querySelector("[data-sk-facets]");
    this.status = root.querySelector("[data-sk-status]");
    this.results = root.querySelector("[data-sk-results]");
    this.pager = root.querySelector("[data-sk-pager]");
    this.input = root.querySelector("#sk-cat-q");
    this.sortSelect = root.querySelector("#sk-cat-sort");
    this.filters = root.querySelector("[data-sk-filters]");
    this.orders = {};
    this.state = null;
  }

  Catalogue.prototype.load = function () {
    var self = this;
    return fetch(this.root.getAttribute("data-index"))
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (index) {
        self.prepare(index);
        self.build();
        self.readUrl();
        self.update(false);
        self.root.setAttribute("data-sk-ready", "1");
        self.idle();
      })
      .catch(function (err) {
        self.status.textContent =
          "Không tải được dữ liệu tra cứu (" + err.message + "). Hãy duyệt theo nhóm bên dưới.";
      });
  };

  // Turn the index into flat arrays; fold titles and card summaries once.
  Catalogue.prototype.prepare = function (index) {
    var rows = index.rows;
    var n = rows.length;
    var f = index.facets;
    var years = [];
    var seenYear = {};
    var hasNoLevel = false;
    for (var i = 0; i < n; i++) {
      var y = rows[i][7];
      if (!seenYear[y]) {
        seenYear[y] = true;
        years.push(y);
      }
      if (rows[i][6] < 0) hasNoLevel = true;
    }
    years.sort(function (a, b) {
      return b - a;
    });
    var yearNo = {};
    years.forEach(function (y, k) {
      yearNo[y] = k;
    });
    var levels = f.levels.slice();
    if (hasNoLevel) levels.push([NO_LEVEL, "Chưa được công nhận"]);
    this.tables = {
      fields: f.fields,
      agencies: f.agencies,
      levels: levels,
      years: years.map(function (y) {
        return [String(y), String(y)];
      }),
      types: f.types,
      readiness: f.readiness,
    };
    this.levelIds = f.levels.map(function (p) {
      return p[0];
    });
    this.rows = rows;
    this.hay = new Array(n);
    this.values = {};
    var self = this;
    FACETS.forEach(function (facet) {
      self.values[facet.key] = new Array(n);
    });
    var noLevel = levels.length - 1;
    this.folded = 0;
    for (var r = 0; r < n; r++) {
      var row = rows[r];
      this.values.fields[r] = row[5];
      this.values.agencies[r] = [row[4]];
      this.values.levels[r] = [row[6] < 0 ? noLevel : row[6]];
      this.values.years[r] = [yearNo[row[7]]];
      this.values.types[r] = row[8];
      this.values.readiness[r] = row[9] < 0 ? [] : [row[9]];
    }
    this.matched = new Uint8Array(n);
  };

  // Folding 10,000 titles and summaries takes a few hundred milliseconds on a phone, so it is
  // done in idle time after the first results show; a query typed before it ends finishes
  // the rest at once.
  Catalogue.prototype.foldUntil = function (limit) {
    var rows = this.rows;
    var end = Math.min(limit, rows.length);
    for (var r = this.folded; r < end; r++) {
      this.hay[r] = haystack(rows[r][1] + " " + rows[r][2]) + rows[r][3] + " ";
    }
    this.folded = Math.max(this.folded, end);
  };

  Catalogue.prototype.idle = function () {
    var self = this;
    var later =
      window.requestIdleCallback ||
      function (fn) {
        return setTimeout(function () {
          fn({
            timeRemaining: function () {
              return 8;
            },
          });
        }, 1);
      };
    var step = function (deadline) {
      while (self.folded < self.rows.length && deadline.timeRemaining() > 2) {
        self.foldUntil(self.folded + 250);
      }
      if (self.folded < self.rows.length) {
        later(step);
      } else {
        // Sort orders too, so the first change of sort is instant.
        self.order("title");
        self.order("adopted");
      }
    };
    later(step);
  };

  // Create the facet controls once; later updates only change counts.
  Catalogue.prototype.build = function () {
    var self = this;
    this.controls = {};
    var html = "";
    FACETS.forEach(function (facet) {
      var table = self.tables[facet.key];
      if (!table.length) return;
      var id = "sk-cat-" + facet.param;
      if (facet.select) {
        html +=
          '<div class="sk-cat__facet sk-cat__facet--select"><label for="' + id + '">' +
          esc(facet.legend) + '</label><select id="' + id + '" data-facet="' + facet.key +
          '"><option value="">Tất cả</option>';
        table.forEach(function (pair, k) {
          html += '<option value="' + k + '">' + esc(pair[1]) + "</option>";
        });
        html += "</select></div>";
      } else {
        html +=
          '<fieldset class="sk-cat__facet"><legend>' + esc(facet.legend) + "</legend><ul>";
        table.forEach(function (pair, k) {
          var cid = id + "-" + k;
          html +=
            '<li><input type="checkbox" id="' + cid + '" data-facet="' + facet.key +
            '" value="' + k + '"><label for="' + cid + '">' + esc(pair[1]) +
            ' <span class="sk-cat__n" data-count></span></label></li>';
        });
        html += "</ul></fieldset>";
      }
    });
    this.facetBox.innerHTML = html;
    FACETS.forEach(function (facet) {
      self.controls[facet.key] = facet.select
        ? self.facetBox.querySelector("select[data-facet=" + facet.key + "]")
        : self.facetBox.querySelectorAll("input[data-facet=" + facet.key + "]");
    });

    var fallback = this.root.querySelector("[data-sk-fallback]");
    if (fallback) fallback.hidden = true;
    this.form.hidden = false;
    if (window.matchMedia && !window.matchMedia("(min-width: 60em)").matches) {
      this.filters.open = false;
    }

    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.fromControls();
      self.update(true);
    });
    this.facetBox.addEventListener("change", function () {
      self.fromControls();
      self.state.page = 1;
      self.update(true);
    });
    this.sortSelect.addEventListener("change", function () {
      self.fromControls();
      self.state.page = 1;
      self.update(true);
    });
    var typed = debounce(function () {
      self.fromControls();
      self.state.page = 1;
      // Typing replaces the history entry: the back button should not replay each letter.
      self.update("replace");
    }, DEBOUNCE_MS);
    this.input.addEventListener("input", typed);
    this.root.querySelector("[data-sk-reset]").addEventListener("click", function () {
      self.state = self.emptyState();
      self.syncControls();
      self.update(true);
      self.input.focus();
    });
    this.pager.addEventListener("click", function (e) {
      var button = e.target.closest("button[data-page]");
      if (!button) return;
      self.state.page = Number(button.getAttribute("data-page"));
      self.update(true);
      self.results.focus();
    });
    window.addEventListener("popstate", function () {
      self.readUrl();
      self.update(false);
    });
  };

  Catalogue.prototype.emptyState = function () {
    var sel = {};
    FACETS.forEach(function (facet) {
      sel[facet.key] = new Set();
    });
    return { q: "", sort: "new", page: 1, sel: sel };
  };

  Catalogue.prototype.fromControls = function () {
    var self = this;
    var state = this.state || this.emptyState();
    state.q = this.input.value;
    state.sort = this.sortSelect.value;
    FACETS.forEach(function (facet) {
      var set = new Set();
      var control = self.controls[facet.key];
      if (!control) return;
      if (facet.select) {
        if (control.value !== "") set.add(Number(control.value));
      } else {
        control.forEach(function (box) {
          if (box.checked) set.add(Number(box.value));
        });
      }
      state.sel[facet.key] = set;
    });
    this.state = state;
  };

  Catalogue.prototype.syncControls = function () {
    var self = this;
    var state = this.state;
    this.input.value = state.q;
    this.sortSelect.value = state.sort;
    FACETS.forEach(function (facet) {
      var control = self.controls[facet.key];
      if (!control) return;
      var set = state.sel[facet.key];
      if (facet.select) {
        control.value = set.size ? String(set.values().next().value) : "";
      } else {
        control.forEach(function (box) {
          box.checked = set.has(Number(box.value));
        });
      }
    });
  };

  // URL <-> state. Values are ids, not the index's integer codes, so links outlive rebuilds.
  Catalogue.prototype.readUrl = function () {
    var self = this;
    var params = new URLSearchParams(window.location.search);
    var state = this.emptyState();
    state.q = (params.get("q") || "").normalize("NFC");
    var sort = params.get("sap-xep");
    state.sort = SORTS[sort] ? sort : "new";
    var page = parseInt(params.get("trang") || "1", 10);
    state.page = page > 0 ? page : 1;
    FACETS.forEach(function (facet) {
      var raw = params.get(facet.param);
      if (!raw) return;
      var wanted = raw.split(",");
      self.tables[facet.key].forEach(function (pair, k) {
        if (wanted.indexOf(pair[0]) >= 0) state.sel[facet.key].add(k);
      });
      if (facet.select && state.sel[facet.key].size > 1) {
        var first = state.sel[facet.key].values().next().value;
        state.sel[facet.key] = new Set([first]);
      }
    });
    this.state = state;
    this.syncControls();
  };

  Catalogue.prototype.toQuery = function () {
    var self = this;
    var state = this.state;
    var params = new URLSearchParams();
    if (state.q.trim()) params.set("q", state.q.trim());
    FACETS.forEach(function (facet) {
      var set = state.sel[facet.key];
      if (!set.size) return;
      var ids = [];
      self.tables[facet.key].forEach(function (pair, k) {
        if (set.has(k)) ids.push(pair[0]);
      });
      params.set(facet.param, ids.join(","));
    });
    if (state.sort !== "new") params.set("sap-xep", state.sort);
    if (state.page > 1) params.set("trang", String(state.page));
    var text = params.toString().replace(/%2C/g, ",");
    return text ? "?" + text : "";
  };

  Catalogue.prototype.order = function (sort) {
    if (this.orders[sort]) return this.orders[sort];
    var rows = this.rows;
    var idx = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) idx[i] = i;
    var byNew = function (a, b) {
      return rows[b][11] - rows[a][11] || rows[b][7] - rows[a][7] || (rows[a][0] < rows[b][0] ? 1 : -1);
    };
    if (sort === "title") {
      var collator = new Intl.Collator("vi");
      idx.sort(function (a, b) {
        return collator.compare(rows[a][1], rows[b][1]) || (rows[a][0] < rows[b][0] ? -1 : 1);
      });
    } else if (sort === "adopted") {
      idx.sort(function (a, b) {
        return rows[b][10] - rows[a][10] || byNew(a, b);
      });
    } else {
      idx.sort(byNew);
    }
    this.orders[sort] = idx;
    return idx;
  };

  // One pass: text match, facet match, results and disjunctive counts (each facet's counts
  // ignore that facet's own selection, so ticking a field still shows the other fields' sizes).
  Catalogue.prototype.compute = function () {
    var state = this.state;
    var words = tokens(state.q.normalize("NFC"));
    if (words.length) this.foldUntil(this.rows.length);
    var keys = [];
    var sets = [];
    var counts = {};
    var self = this;
    FACETS.forEach(function (facet) {
      keys.push(facet.key);
      sets.push(state.sel[facet.key]);
      counts[facet.key] = new Uint32Array(self.tables[facet.key].length);
    });
    var nf = keys.length;
    var values = keys.map(function (k) {
      return self.values[k];
    });
    var hay = this.hay;
    var matched = this.matched;
    var total = 0;
    var ok = new Array(nf);
    for (var r = 0, n = hay.length; r < n; r++) {
      matched[r] = 0;
      var h = hay[r];
      var hit = true;
      for (var w = 0; w < words.length; w++) {
        // Words match at the start of a word: "ma" finds "mã QR" but not "mai".
        if (h.indexOf(" " + words[w]) < 0) {
          hit = false;
          break;
        }
      }
      if (!hit) continue;
      var fails = 0;
      var failed = -1;
      for (var k = 0; k < nf; k++) {
        var set = sets[k];
        var good = set.size === 0;
        if (!good) {
          var vals = values[k][r];
          for (var v = 0; v < vals.length; v++) {
            if (set.has(vals[v])) {
              good = true;
              break;
            }
          }
        }
        ok[k] = good;
        if (!good) {
          fails++;
          failed = k;
          if (fails > 1) break;
        }
      }
      if (fails > 1) continue;
      if (fails === 1) {
        var only = values[failed][r];
        for (var a = 0; a < only.length; a++) counts[keys[failed]][only[a]]++;
        continue;
      }
      matched[r] = 1;
      total++;
      for (var j = 0; j < nf; j++) {
        var own = values[j][r];
        for (var b = 0; b < own.length; b++) counts[keys[j]][own[b]]++;
      }
    }
    return { total: total, counts: counts };
  };

  Catalogue.prototype.update = function (history) {
    var started = performance.now();
    var state = this.state;
    var result = this.compute();
    var pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    if (state.page > pages) state.page = pages;

    // The current page of results, in the chosen order.
    var order = this.order(state.sort);
    var first = (state.page - 1) * PAGE_SIZE;
    var picked = [];
    var seen = 0;
    for (var i = 0; i < order.length && picked.length < PAGE_SIZE; i++) {
      if (this.matched[order[i]]) {
        if (seen >= first) picked.push(order[i]);
        seen++;
      }
    }
    this.renderCards(picked);
    this.renderCounts(result.counts);
    this.renderPager(pages);
    var text =
      result.total === 0
        ? "Không tìm thấy sáng kiến nào phù hợp. Hãy bỏ bớt bộ lọc hoặc thử từ khóa khác."
        : "Tìm thấy " + fmt(result.total) + " sáng kiến" +
          (pages > 1 ? " (trang " + state.page + "/" + pages + ")" : "") + ".";
    if (this.status.textContent !== text) this.status.textContent = text;

    if (history) {
      var query = this.toQuery();
      if (query !== window.location.search) {
        var url = window.location.pathname + query + window.location.hash;
        if (history === "replace") window.history.replaceState(null, "", url);
        else window.history.pushState(null, "", url);
      }
    }
    this.root.setAttribute("data-sk-update-ms", (performance.now() - started).toFixed(1));
  };

  Catalogue.prototype.renderCards = function (picked) {
    var rows = this.rows;
    var t = this.tables;
    var html = "";
    for (var i = 0; i < picked.length; i++) {
      var row = rows[picked[i]];
      var level = row[6] < 0 ? null : this.levelIds[row[6]];
      var levelLabel = row[6] < 0 ? "Chưa được công nhận" : t.levels[row[6]][1];
      html +=
        '<li class="sk-card"><h2 class="sk-card__title"><a href="' + esc(this.base) +
        "sang-kien/" + esc(row[0].toLowerCase()) + '/">' + esc(row[1]) + "</a></h2>" +
        '<p class="sk-card__meta"><span class="sk-card__agency">' + esc(t.agencies[row[4]][1]) +
        '</span> <span aria-hidden="true">·</span> <span class="sk-card__year">' + row[7] +
        '</span> <span class="sk-badge sk-badge--' + esc(level || "none") + '">' +
        esc(levelLabel) + "</span>" +
        (row[10] > 0
          ? ' <span class="sk-card__adopted">Đã nhân rộng tại ' + fmt(row[10]) + " đơn vị</span>"
          : "") +
        '</p><p class="sk-card__summary">' + esc(row[2]) + "</p></li>";
    }
    this.results.innerHTML = html;
  };

  Catalogue.prototype.renderCounts = function (counts) {
    var self = this;
    FACETS.forEach(function (facet) {
      var control = self.controls[facet.key];
      if (!control) return;
      var c = counts[facet.key];
      var table = self.tables[facet.key];
      if (facet.select) {
        for (var k = 0; k < table.length; k++) {
          var label = table[k][1] + " (" + fmt(c[k]) + ")";
          var option = control.options[k + 1];
          if (option.text !== label) option.text = label;
        }
      } else {
        control.forEach(function (box) {
          var k = Number(box.value);
          var span = box.nextElementSibling.querySelector("[data-count]");
          var text = "(" + fmt(c[k]) + ")";
          if (span.textContent !== text) span.textContent = text;
          box.parentNode.classList.toggle("sk-cat__empty", c[k] === 0 && !box.checked);
        });
      }
    });
  };

  Catalogue.prototype.renderPager = function (pages) {
    var current = this.state.page;
    if (pages <= 1) {
      this.pager.hidden = true;
      this.pager.innerHTML = "";
      return;
    }
    var shown = [];
    for (var p = 1; p <= pages; p++) {
      if (p === 1 || p === pages || Math.abs(p - current) <= 2) shown.push(p);
    }
    var html = "<ul>";
    if (current > 1) {
      html += '<li><button type="button" data-page="' + (current - 1) + '">‹ Trước</button></li>';
    }
    var last = 0;
    shown.forEach(function (p) {
      if (p - last > 1) html += '<li class="sk-cat__gap" aria-hidden="true">…</li>';
      html +=
        '<li><button type="button" data-page="' + p + '" aria-label="Trang ' + p + '"' +
        (p === current ? ' aria-current="page"' : "") + ">" + p + "</button></li>";
      last = p;
    });
    if (current < pages) {
      html += '<li><button type="button" data-page="' + (current + 1) + '">Sau ›</button></li>';
    }
    this.pager.innerHTML = html + "</ul>";
    this.pager.hidden = false;
  };

  function init() {
    var roots = document.querySelectorAll("[data-sk-catalogue]:not([data-sk-init])");
    for (var i = 0; i < roots.length; i++) {
      roots[i].setAttribute("data-sk-init", "1");
      var results = roots[i].querySelector("[data-sk-results]");
      // The results list takes focus after a page change, so that keyboard and screen reader
      // users land on the new cards.
      results.setAttribute("tabindex", "-1");
      new Catalogue(roots[i]).load();
    }
  }

  // Material's instant navigation swaps pages without reloading scripts; it announces each
  // new page through `document$`.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
