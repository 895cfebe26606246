"""Documents: replication guides, official forms and training handouts, in and out of Word.

Layers: this package imports the core (model, config, text) and generator.render, never the
site or the CLI. Modules:

* `guide`      record -> Markdown of the 12-part replication guide
* `forms`      record (or nothing) -> Markdown of "Đơn yêu cầu công nhận" / "Bản mô tả"
* `blocks`     national heading, place-and-date line, signature: raw OpenXML / typst / HTML
* `layout`     the Decree 30/2020/NĐ-CP page layout as data
* `reference`  the reference DOCX, built from code with python-docx
* `fonts`      Tinos TTFs built from the npm package @fontsource/tinos (fontTools)
* `sanitise`   the allow-list on pandoc's AST for record prose: links, images, raw code
* `convert`    pandoc --sandbox (DOCX, HTML, typst source) and typst (PDF) in a private root
* `export`     one guide or form of one record to one file (used by `sangkien export`)
* `importer`, `legacy`, `draft`   Word -> draft YAML (used by `sangkien import`)
* `site`       every document of the site, cached by content hash (a file provider)
"""
