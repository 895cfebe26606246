"""Contributor paths: from a civil servant's idea to a validated record file.

* `record`    next free id, the commented YAML text, safe exclusive writes (shared by all paths)
* `wizard`    the interactive `sangkien new` questions, taken from the JSON Schema
* `issue`     the GitHub issue form (generated from the schema) and its parser (`from-issue`)
* `site`      the "Đề xuất sáng kiến" web form page (a page provider)
* `summary`   the Vietnamese pull-request summary (`validate --changed-since --summary-md`)
* `links`     the external link check (`validate --check-links`)
"""
