"""`python -m geo.serve run app.py [options]`: `streamlit run`, with no lookups of the network.

The same command line as `streamlit ...`; it only pins Streamlit's address lookups to the
loopback address first (see patches.pin_streamlit_loopback), so that not even the first websocket from a
foreign Origin, before any page has run, makes the server look up its external address.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Pin the address lookups, then hand the command line to Streamlit's own CLI."""
    from patches import pin_streamlit_loopback

    pin_streamlit_loopback()
    from streamlit.web.cli import main as streamlit_main

    sys.argv[0] = "streamlit"
    streamlit_main()


if __name__ == "__main__":
    main()
