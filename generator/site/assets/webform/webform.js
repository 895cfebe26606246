/*
 * "Đề xuất sáng kiến" web form.
 *
 * The form is rendered by @json-editor/json-editor from a schema derived at build time from
 * schema/initiative.schema.json (inlined in the page as #sk-webform-data), checked against the
 * same schema, and turned into the YAML record with js-yaml. Nothing is sent anywhere: the
 * visitor downloads or copies the file, or opens GitHub's "create new file" page with it.
 */
(function () {
  "use strict";

  var VI = {
    error_notset: "Mục này cần được điền",
    error_notempty: "Mục này không được để trống",
    error_enum: "Giá trị phải là một trong các lựa chọn",
    error_const: "Giá trị không hợp lệ",
    error_type: "Giá trị phải có kiểu {{0}}",
    error_maximum_excl: "Giá trị phải nhỏ hơn {{0}}",
    error_maximum_incl: "Giá trị tối đa là {{0}}",
    error_minimum_excl: "Giá trị phải lớn hơn {{0}}",
    error_minimum_incl: "Giá trị tối thiểu là {{0}}",
    error_maxLength: "Tối đa {{0}} ký tự",
    error_minLength: "Cần ít nhất {{0}} ký tự",
    error_pattern: "Chỉ dùng chữ thường không dấu, số và gạch ngang (ví dụ mot-cua)",
    error_additionalItems: "Không được thêm mục",
    error_maxItems: "Tối đa {{0}} mục",
    error_minItems: "Cần chọn hoặc thêm ít nhất {{0}} mục",
    error_uniqueItems: "Các mục không được trùng nhau",
    error_required: "Thiếu mục bắt buộc “{{0}}”",
    error_additional_properties: "Mục “{{0}}” không có trong lược đồ",
    error_date: "Ngày phải có dạng {{0}}",
    button_add: "Thêm",
    button_add_row_title: "Thêm {{0}}",
    button_delete_row_title: "Xoá {{0}}",
    button_delete_row_title_short: "Xoá",
    button_delete_all: "Tất cả",
    button_delete_all_title: "Xoá tất cả",
    button_delete_last: "{{0}} cuối",
    button_delete_last_title: "Xoá {{0}} cuối",
    button_move_down_title: "Chuyển xuống",
    button_move_up_title: "Chuyển lên",
    button_collapse: "Thu gọn",
    button_expand: "Mở rộng",
    button_properties: "Các mục",
    button_object_properties: "Các mục",
    button_edit_json: "Sửa JSON",
    button_cancel: "Huỷ",
    button_save: "Lưu",
    button_copy: "Sao chép",
    default_array_item_title: "mục",
    button_delete_node_warning: "Xoá mục này?",
    table_controls: "Thao tác"
  };

  /* Text stays text. json-editor 2.17.2 "cleans" every string value, header and description
     through cleanText(), which parses it as HTML in a detached <div> (innerHTML): markup in an
     agency name, a taxonomy label or whatever a visitor types runs as script there (an
     <img onerror> fires even in a detached element), and the visitor's text is changed
     (`<b>đậm</b>` -> `đậm`, `&lt;tag&gt;` -> `<tag>`). With window.DOMPurify present it would
     instead write sanitised HTML with innerHTML, which still renders labels as markup and
     rewrites values. No option turns this off, so we replace the four methods behind it with
     text-only versions: values pass unchanged, labels are set with textContent. Every other
     place the "html" theme and the editors we use (object, array, string, select, checkbox
     lists) put schema or visitor text in the page already uses textContent or text nodes;
     tests/security/test_webform.py checks the whole form with hostile names and input. */
  function asText(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function textOnly(JSONEditor) {
    var Editor = JSONEditor.AbstractEditor;
    var Theme = JSONEditor.AbstractTheme;
    if (!Editor || !Theme || typeof Editor.prototype.purify !== "function" ||
        typeof Editor.prototype.updateHeaderText !== "function" ||
        typeof Theme.prototype.getDescription !== "function") {
      // Another json-editor version: refuse to render rather than risk running markup.
      return false;
    }
    Editor.prototype.cleanText = asText;
    Theme.prototype.cleanText = asText;
    // Values: exactly what was typed or given (strings are not HTML).
    Editor.prototype.purify = function (value) { return value; };
    Editor.prototype.updateHeaderText = function () {
      if (!this.header) return;
      var text = asText(this.getHeaderText());
      if (!this.header.children.length) {
        this.header.textContent = text;
        return;
      }
      // A header with children (a checkbox, buttons) keeps them: only its text node changes.
      for (var i = 0; i < this.header.childNodes.length; i++) {
        if (this.header.childNodes[i].nodeType === 3) {
          this.header.childNodes[i].nodeValue = text;
          return;
        }
      }
    };
    Theme.prototype.getDescription = function (text) {
      var el = document.createElement("p");
      el.textContent = asText(text);
      return el;
    };
    return true;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  /* Remove what the visitor left empty, so optional parts are simply absent from the file
     (but keep 0 and false, which are real answers). */
  function clean(value) {
    if (Array.isArray(value)) {
      var arr = value.map(clean).filter(function (v) { return v !== undefined; });
      return arr.length ? arr : undefined;
    }
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) {
        var v = clean(value[k]);
        if (v !== undefined) out[k] = v;
      });
      return Object.keys(out).length ? out : undefined;
    }
    if (typeof value === "string") {
      var s = value.replace(/\r\n/g, "\n").replace(/[ \t]+$/gm, "").trim();
      return s === "" ? undefined : s.normalize("NFC");
    }
    if (value === null || (typeof value === "number" && isNaN(value))) return undefined;
    return value;
  }

  /* Keys in the order of the full schema (the order `sangkien fmt` writes). */
  function ordered(value, order, path) {
    if (Array.isArray(value)) {
      return value.map(function (v) { return ordered(v, order, path + "[]"); });
    }
    if (value && typeof value === "object") {
      var keys = order[path] || [];
      var out = {};
      keys.forEach(function (k) {
        if (k in value) out[k] = ordered(value[k], order, path ? path + "." + k : k);
      });
      Object.keys(value).forEach(function (k) {
        if (!(k in out)) out[k] = value[k];
      });
      return out;
    }
    return value;
  }

  function toYaml(record, data) {
    var text = window.jsyaml.dump(record, { lineWidth: -1, noRefs: true, quotingType: '"' });
    // Dates stay plain YYYY-MM-DD: js-yaml quotes them because YAML 1.1 reads them as timestamps,
    // while the registry's loader keeps them as text either way.
    text = text.replace(/^(\s*(?:- )?[a-z_]+: )"(\d{4}-\d{2}-\d{2})"$/gm, "$1$2");
    return data.schemaLine + "\n" + text;
  }

  function titleAt(schema, parts) {
    var node = schema;
    var names = [];
    parts.forEach(function (p) {
      if (!node) return;
      if (/^\d+$/.test(p)) {
        node = node.items;
        names.push(String(Number(p) + 1));
      } else {
        node = node.properties ? node.properties[p] : null;
        if (node) names.push(node.title || p);
      }
    });
    return { names: names, node: node };
  }

  function describe(error, schema) {
    var parts = error.path.split(".").slice(1);
    var where = titleAt(schema, parts);
    var message = error.message;
    if (error.property === "required") {
      // json-editor names the missing property by its title (or its key when untitled).
      var m = /“([^”]+)”/.exec(message);
      var parent = where.node || schema;
      var props = parent.properties || {};
      var key = m && Object.keys(props).filter(function (k) { return k === m[1] || props[k].title === m[1]; })[0];
      if (key) {
        where.names.push(props[key].title || key);
        message = "Chưa điền";
        parts = parts.concat([key]);
      }
    }
    return { label: where.names.join(" › ") || "Sáng kiến", message: message, parts: parts };
  }

  function inputFor(parts) {
    var name = "root" + parts.map(function (p) { return "[" + p + "]"; }).join("");
    // Text inputs carry the name; json-editor's checkboxes only an id that starts with it.
    return document.querySelector('[name="' + name + '"]') || document.querySelector('[name^="' + name + '"]') ||
      document.querySelector('[id^="' + name + '"]');
  }

  /* json-editor starts a select on its first choice; one the visitor has not touched should
     say "— chọn —" and stay out of the record, or the file would claim an answer never given. */
  function resetUntouchedSelects(editor) {
    Object.keys(editor.editors || {}).forEach(function (path) {
      var ed = editor.editors[path];
      if (!ed || !ed.hasPlaceholderOption || ed.is_dirty || ed.value === undefined) return;
      if (ed.schema && ed.schema["default"] !== undefined) return;
      ed.setValue(undefined, true);
    });
  }

  function init() {
    var root = byId("sk-webform");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var data = JSON.parse(byId("sk-webform-data").textContent);
    var JSONEditor = window.JSONEditor;
    if (!textOnly(JSONEditor)) {
      var stop = document.createElement("p");
      stop.className = "sk-webform__errors";
      stop.setAttribute("role", "alert");
      stop.textContent = "Biểu mẫu không dùng được với thư viện hiện có. Hãy gửi đề xuất qua GitHub Issues.";
      byId("sk-editor").appendChild(stop);
      return;
    }
    JSONEditor.defaults.languages.vi = VI;
    JSONEditor.defaults.language = "vi";

    var madeFrom = null;
    var yearSelect = byId("sk-year");
    data.years.forEach(function (y) {
      var opt = document.createElement("option");
      opt.value = String(y);
      opt.textContent = String(y);
      yearSelect.appendChild(opt);
    });
    function currentId() {
      var y = yearSelect.value;
      return data.nextIds[y] || data.prefix + "-" + y + "-0001";
    }
    function showId() {
      byId("sk-id").textContent = currentId();
      byId("sk-result").hidden = true;
      madeFrom = null;
    }
    yearSelect.addEventListener("change", showId);
    showId();

    var editor = new JSONEditor(byId("sk-editor"), {
      schema: data.schema,
      theme: "html",
      iconlib: null,
      disable_edit_json: true,
      disable_properties: true,
      disable_array_delete_all_rows: true,
      disable_array_delete_last_row: true,
      disable_array_reorder: true,
      disable_collapse: true,
      prompt_before_delete: false,
      show_errors: "never",
      no_additional_properties: true,
      use_default_values: false
    });

    // The agency's name as printed on decisions defaults to its current name.
    editor.on("ready", function () {
      var agency = editor.getEditor("root.agency");
      var nameAtTime = editor.getEditor("root.agency_name_at_time");
      if (agency && nameAtTime) {
        editor.watch("root.agency", function () {
          var id = agency.getValue();
          if (id && !nameAtTime.getValue() && data.agencyNames[id]) nameAtTime.setValue(data.agencyNames[id]);
        });
      }
      resetUntouchedSelects(editor);
      root.classList.add("sk-webform--ready");
    });

    var yamlText = "";
    var fileName = "";
    var filePath = "";

    function currentRecord() {
      var value = clean(editor.getValue()) || {};
      return { value: value, record: ordered(Object.assign({ id: currentId() }, value), data.order, "") };
    }

    // json-editor reports changes asynchronously: hide the result only when the answers really
    // differ from those the file was made from.
    editor.on("change", function () {
      resetUntouchedSelects(editor);
      if (madeFrom !== null && JSON.stringify(currentRecord().record) !== madeFrom) {
        byId("sk-result").hidden = true;
      }
    });

    byId("sk-check").addEventListener("click", function () {
      var current = currentRecord();
      var value = current.value;
      var errors = editor.validate(value);
      var box = byId("sk-errors");
      box.replaceChildren();
      root.classList.add("sk-webform--checked");
      if (errors.length) {
        byId("sk-result").hidden = true;
        var head = document.createElement("p");
        head.className = "sk-webform__errors-title";
        head.textContent = "Còn " + errors.length + " chỗ cần sửa:";
        var list = document.createElement("ul");
        errors.forEach(function (err) {
          var d = describe(err, data.schema);
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = "#";
          a.textContent = d.label;
          a.addEventListener("click", function (ev) {
            ev.preventDefault();
            var input = inputFor(d.parts);
            if (input) {
              input.scrollIntoView({ block: "center" });
              input.focus();
            }
          });
          li.appendChild(a);
          li.appendChild(document.createTextNode(": " + d.message));
          list.appendChild(li);
        });
        box.appendChild(head);
        box.appendChild(list);
        box.hidden = false;
        box.scrollIntoView({ block: "start" });
        return;
      }
      box.hidden = true;
      var id = currentId();
      var record = current.record;
      madeFrom = JSON.stringify(record);
      yamlText = toYaml(record, data);
      fileName = id + ".yml";
      filePath = data.registryDir + "/initiatives/" + id.split("-")[1] + "/" + fileName;
      byId("sk-yaml").value = yamlText;
      byId("sk-path").textContent = filePath;
      byId("sk-status").textContent = "Nội dung hợp lệ. Tệp " + fileName + " đã sẵn sàng.";
      byId("sk-github").href = data.repoUrl + "/new/" + encodeURIComponent(data.branch) +
        "?filename=" + encodeURIComponent(filePath) + "&value=" + encodeURIComponent(yamlText);
      byId("sk-result").hidden = false;
      byId("sk-result").scrollIntoView({ block: "start" });
    });

    byId("sk-download").addEventListener("click", function () {
      var blob = new Blob([yamlText], { type: "application/yaml;charset=utf-8" });
      var url = URL.createObjectURL(blob);
      var a = document.createElement("a");
      a.href = url;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });

    byId("sk-copy").addEventListener("click", function () {
      var area = byId("sk-yaml");
      var done = function () { byId("sk-status").textContent = "Đã sao chép nội dung tệp " + fileName + "."; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(yamlText).then(done, function () {
          area.select();
          document.execCommand("copy");
          done();
        });
      } else {
        area.select();
        document.execCommand("copy");
        done();
      }
    });
  }

  // Material's instant navigation swaps pages without reloading: run again on each new page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
