"""The loaders package's root exception."""


class LoaderError(Exception):
    """A user's file could not be read or parsed.

    The message names the file and says what was wrong and what to do; the CLI
    prints it as an error record and goes on with the rest of the batch.
    """
