"""Pure domain rules of Baiqau: no Django, standard library only."""
