"""Keep the Streamlit server from reaching for the internet.

Streamlit looks up the machine's addresses to print them and to vet a websocket's Origin:
a UDP "connect" to 8.8.8.8 for the internal address and an HTTP request to
checkip.amazonaws.com for the external one. The atlas serves from its own machine and needs
neither; worse, a websocket from a foreign Origin repeats the HTTP lookup on the server's
event loop, so a slow DNS froze every session for seconds per attempt.

`.streamlit/config.toml` sets `browser.serverAddress`, which keeps start-up from looking.
`pin_loopback()` fills Streamlit's two address caches with the loopback address, which it
already trusts, so the Origin check never looks either: a foreign Origin is refused at once,
exactly as before, and no origin is newly allowed.
"""

from __future__ import annotations

LOOPBACK = "127.0.0.1"


def pin_loopback() -> None:
    """Make Streamlit's address lookups answer from cache, never from the network."""
    from streamlit import net_util

    # Streamlit caches the first answer in these module globals; a set value is never looked
    # up again. Both are only compared with an Origin's host name, and 127.0.0.1 is on
    # Streamlit's own list of allowed hosts already.
    if net_util._internal_ip is None:
        net_util._internal_ip = LOOPBACK
    if net_util._external_ip is None:
        net_util._external_ip = LOOPBACK
