"""Web shop back end: stock reservations, order placement and the checkout endpoint."""
