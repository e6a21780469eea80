"""About the data: sources, layers, counts, licences, provenance and the validator's verdict."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo.export import pack_name, pack_zip
from geo.text import md
from geo.vocabulary import KIND_LABEL, PRECISION_MEANING
from pages._shared import (
    dataset,
    download,
    problem_banner,
    source_cards,
    sources_csv_button,
    table,
)
from patches import leave_pages_folder_mode

leave_pages_folder_mode()  # a shared link as the first request: run inside app.py
ds = dataset()
st.title("About the data")
problem_banner(ds)

if ds.problems:
    st.warning(f"Validator: {len(ds.problems)} problem(s) found; see the list above.")
else:
    st.success(
        f"Validator: the data is sound. Every one of its {len(ds.citations())} citations is "
        "found verbatim in its source."
    )

c = st.columns(5)
c[0].metric("Sources", len(ds.sources))
c[1].metric("Map features", len(ds.features))
c[2].metric("Figures", len(ds.figures))
c[3].metric("Events", len(ds.events))
c[4].metric("Citations", len(ds.citations()))

download(
    st,
    "Download the data pack (ZIP: layers.geojson, figures.csv, events.csv, sources and README)",
    lambda: pack_zip(ds, date.today()),
    what="The data pack",
    key="data-pack",
    file_name=pack_name(ds),
    mime="application/zip",
)

st.header("Whose word is it")
st.markdown(
    "\n".join(
        [
            "- **The sources' word**: every quote, shown verbatim with a link to it in context. "
            "Each summary sentence ends with numbers naming the quotes that say it.",
            "- **A status** is the sources' word when a quote states it (the panel shows that "
            "quote); otherwise the panel says it is not stated by the sources and gives the "
            "atlas's reason for showing it.",
            "- **The atlas's placement note**: where the atlas got a position or route from. "
            "It is never the sources' word.",
            # One line each: the meanings have semicolons of their own.
            "- **Precision**:\n"
            + "\n".join(f"  - *{md(k)}*: {md(v)}" for k, v in PRECISION_MEANING.items()),
            "- **Differences between sources** (Sources page): every version with its quote, and "
            "what kind of difference the atlas reads it as, labelled as its reading.",
            "- **Claims** (Topics page): the statements of the sources a brief could cite, each "
            "its verbatim quote, read under one or more topics; the few words naming each "
            "claim's matter are the atlas's.",
        ]
    )
)
c2 = st.columns(4)
c2[0].metric(
    "Statuses stated by a quote",
    f"{sum(f.props.status_basis is not None for f in ds.features)} of {len(ds.features)}",
)
c2[1].metric(
    "Events dated only in the sources' words",
    sum(e.date_precision == "undated" for e in ds.events),
)
c2[2].metric("Matters on which the sources differ", len(ds.disagreements))
c2[3].metric("Claims, by topic (Topics page)", len(ds.claims))

st.header("Sources")
st.caption("What each document states about itself. Where it states nothing, the atlas says so.")
source_cards(ds)
sources_csv_button(ds)

st.header("Layers")
table(
    pd.DataFrame(
        [
            {
                "layer": layer.title,
                "file": layer.file,
                "features": len(layer.features),
                "kinds": ", ".join(sorted({KIND_LABEL[f.props.kind] for f in layer.features})),
                "precision": ", ".join(sorted({f.props.precision for f in layer.features})),
            }
            for layer in ds.layers
        ]
    ),
    "layers",
    "the layers table",
)

st.header("Licences and provenance")
border = next((f for f in ds.features if f.props.kind == "border"), None)
provenance = ds.context.get("provenance", {})
st.markdown(
    "\n".join(
        [
            "- **Border line**: "
            + (md(border.props.geometry_source) if border else "not loaded")
            + (f" Licence: {md(border.props.licence)}." if border and border.props.licence else ""),
            f"- **Basemap outlines**: {md(provenance.get('dataset', 'not loaded'))}. "
            f"Licence: {md(provenance.get('licence', 'unknown'))}.",
            "- **Other features**: positions from the atlas's geographic reference notes; each "
            "feature says where its coordinates come from and how precise they are.",
            "- **Source documents**: the five texts are the publishers' own, shipped unchanged "
            "so that every quote can be read in context; they remain their authors' work.",
            "- **Figures and events**: transcribed from the sources, each with its verbatim quote.",
        ]
    )
)
