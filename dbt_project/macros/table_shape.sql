{#-
  post-hook of every model (dbt_project.yml): the model's column types and, for a table,
  its row count, logged for the Dagster step, which shows them on the model's page as soon
  as dbt reports the model built. They are read here, inside dbt, because DuckDB lets no
  other process open the warehouse while dbt writes it; a view is not counted, which would
  run its query again. The column types go as the JSON line dagster-dbt reads for a model's
  column schema; the count as a line of its own, `<schema>.<table>: <n> rows`, which
  orchestration/scoring.py reads.
-#}
{% macro log_table_shape() -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select column_name, data_type from duckdb_columns()"
            ~ " where database_name = current_database() and schema_name = " ~ label_literal(this.schema)
            ~ " and table_name = " ~ label_literal(this.identifier) ~ " order by column_index") -%}
        {%- set columns = {} -%}
        {%- for name, data_type in found.rows -%}
            {%- do columns.update({name: {"data_type": data_type}}) -%}
        {%- endfor -%}
        {%- do log(tojson({"columns": columns}), info=True) -%}
        {%- if config.get("materialized") != "view" -%}
            {%- set rows = run_query("select count(*) from " ~ this).columns[0].values()[0] -%}
            {%- do log(this.schema ~ "." ~ this.identifier ~ ": " ~ rows ~ " rows", info=True) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

