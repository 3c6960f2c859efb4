SELECT bare.drill_rules();
