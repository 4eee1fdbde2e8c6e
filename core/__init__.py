"""The neutral core: the vocabulary every package shares and that belongs to none of them.

Typed records (`core.records`), labels, relation types and id prefixes (`core.vocab`), stable ids
(`core.ids`), citation keys (`core.citekeys`), text folding (`core.text`), the region gazetteer
(`core.regions`), the department-name knowledge base (`core.deptnames`), the error a store raises for a
document it refuses (`core.errors`) and tying a child process to its parent (`core.process`).

`loaders/`, `graph/`, `search/` and `webapp/` import from here; nothing here imports any of them
(tests/test_layering.py checks it, with the rest of the layering: graph/ and search/ never import
loaders/, and no package imports webapp/).
"""
