# Warnings on everywhere; a missing enum case in a switch is an error (DESIGN.md §4).
add_compile_options(-Wall -Wextra -Wno-unused-parameter -Werror=switch -Werror=return-type)
