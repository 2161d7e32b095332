"""How a hand-over to the mail server or SMS gateway can fail; the sender records each differently."""


class DeliveryError(Exception):
    pass


class TryLater(DeliveryError):
    """Not delivered, and worth trying again: a 4xx answer, a server down or too slow."""


class Refused(DeliveryError):
    """Not delivered, and never will be: a 5xx answer, an invalid number, a message that cannot be built."""


class Unknown(DeliveryError):
    """Handed over, then no answer: it may have been delivered, so it must not be sent again unasked."""
