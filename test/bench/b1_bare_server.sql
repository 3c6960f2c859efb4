SELECT bare.drill_bare();
