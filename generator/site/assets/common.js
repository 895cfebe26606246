/*
 * Helpers shared by catalogue.js and search.js, which mkdocs.yml loads after this file.
 */
(function () {
  "use strict";

  var sk = (window.sangkien = window.sangkien || {});

  // Text into HTML, for markup built from records (untrusted input).
  sk.esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };

  // Vietnamese thousands separator ".", as generator.text.vn.format_number.
  sk.fmt = function (n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  };

  // `fn` runs once typing has paused for `ms`, with the last call's arguments.
  sk.debounce = function (fn, ms) {
    var timer = 0;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fn.apply(null, args);
      }, ms);
    };
  };
})();
