"""Matplotlib figures, one module per topic. Figures are titled, labelled and readable in
black-and-white print (colours are always paired with hatching, markers or line styles)."""
