-- SB Chassis_Template_Var rows as northd writes them: sync_template_vars()
-- in northd.c; ovn-sb(5) "Chassis_Template_Var" (ovn-controller expands a
-- template LB's `^VAR`s with them; no logical flows come from them). NB's
-- rows verbatim, one per chassis.
SELECT chassis, variables
FROM   Chassis_Template_Var
