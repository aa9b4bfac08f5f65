-- How many submitted values of each unit and year were held back by an error.
select year, unit_code, count(*) as held_back_values
from {{ ref('int_submissions_checked') }}
where severity = 'error' and unit_code is not null and {{ in_run_years('year') }}
group by year, unit_code
