"""Domain errors leave models/ as a code with parameters; the Flask side words them."""


class DomainError(Exception):
    def __init__(self, code, /, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self):
        details = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return f"{self.code}({details})" if details else self.code
