//! Related pages: for each page, a few pages most similar by text, from the index's statistics.
