"""Theory lessons: each lecture's idea as a figure the server computes (with TensorFlow where a number is
involved), as pure functions returning JSON; app/api/routes/theory.py serves them."""
