"""Document loaders: read → repair → normalise → parse → extract, then load.

The extraction stages are pure functions (bytes/path in, records out); only
`loaders.load` writes, to the graph and the search index together.
"""
