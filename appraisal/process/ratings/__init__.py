"""One rating: its page, scores, self-assessment, products, handing in."""
