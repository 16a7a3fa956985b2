"""The web application's parts that belong to no domain; `shuping.main` composes them."""
