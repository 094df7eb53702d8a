"""Access use cases: issue, list and revoke API keys; turn a bearer credential into the
partner it acts for; issue OAuth2 client-credentials access tokens (signed JWTs).

keys: the keys and their administration; authentication: who a credential stands for,
on every request; tokens: the access token format; attempts: how many tries at a
secret a client id and an address get.
"""

from omnicart.access.attempts import SignInAttempts, TooManyAttempts
from omnicart.access.authentication import MAX_CACHED, AccessService
from omnicart.access.keys import KeyService
from omnicart.access.tokens import ALGORITHM, LEEWAY_SECONDS, REQUIRED_CLAIMS, TOKEN_TYPE, IssuedToken

__all__ = [
    "ALGORITHM",
    "LEEWAY_SECONDS",
    "MAX_CACHED",
    "REQUIRED_CLAIMS",
    "TOKEN_TYPE",
    "AccessService",
    "IssuedToken",
    "KeyService",
    "SignInAttempts",
    "TooManyAttempts",
]
