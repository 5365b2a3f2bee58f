"""Exception hierarchy shared by the retry policy and the client."""


class HttpError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class TransientError(HttpError):
    """A failure worth retrying (timeouts, 429, 5xx gateway errors).

    ``retry_after`` is the server's requested wait in seconds, if it sent one.
    """

    def __init__(self, message, status=None, retry_after=None):
        super().__init__(message, status)
        self.retry_after = retry_after


class PermanentError(HttpError):
    """A failure that will not go away by retrying (4xx other than 429)."""


class RetryExhausted(HttpError):
    """Raised when every attempt failed with a transient error."""

    def __init__(self, attempts, last_error):
        super().__init__("gave up after %d attempts: %s" % (attempts, last_error), last_error.status)
        self.attempts = attempts
        self.last_error = last_error
