-- One line per data table: row count and a digest of all rows in a fixed order.
SELECT t.name, t.rows, t.digest FROM (
  SELECT 'users' AS name, count(*) AS rows, md5(string_agg(x::text, '|' ORDER BY x.id)) AS digest FROM residency.users x
  UNION ALL SELECT 'content_packs', count(*), md5(string_agg(x::text, '|' ORDER BY x.id)) FROM residency.content_packs x
  UNION ALL SELECT 'content_pack_questions', count(*), md5(string_agg(x::text, '|' ORDER BY x.content_pack_id, x.id)) FROM residency.content_pack_questions x
  UNION ALL SELECT 'drill_sessions', count(*), md5(string_agg(x::text, '|' ORDER BY x.id)) FROM residency.drill_sessions x
  UNION ALL SELECT 'drill_responses', count(*), md5(string_agg(x::text, '|' ORDER BY x.id)) FROM residency.drill_responses x
  UNION ALL SELECT 'evaluation_results', count(*), md5(string_agg(x::text, '|' ORDER BY x.id)) FROM residency.evaluation_results x
  UNION ALL SELECT 'content_admins', count(*), md5(string_agg(x::text, '|' ORDER BY x.user_id)) FROM residency.content_admins x
) AS t ORDER BY t.name;
