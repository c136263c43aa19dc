"""The rating process, one package per step: periods, grid, ratings, meetings, verification, quota, decisions, re-rating, complaints."""
