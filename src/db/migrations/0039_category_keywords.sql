-- Classification suggestions (issue 15): each category's keywords, kept by administrators. Null until
-- the start-up fills in the shipped categories' keywords; an empty list is an administrator's choice.
ALTER TABLE "categories" ADD COLUMN "keywords" text[];
