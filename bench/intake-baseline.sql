-- The same rows POST /api/v1/tickets writes for one ticket, as a plain SQL transaction (pgbench
-- script; bench/intake-ratio.ts runs it with -D staff=… -D team=… -D customer=… -D key=…):
-- a new id and number, the idempotency key, the ticket, its three SLA clocks, its three timeline
-- events. The texts, clocks and event payloads are those of the bench's request.
\set n random(1, 1000000000000)
BEGIN;
SELECT gen_random_uuid() AS tid, 'TS' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('ticket_number_seq')::text, 6, '0') AS num \gset
INSERT INTO idempotency_keys (scope, key, request_hash, resource_id, created_at)
  VALUES ('ticket.create:' || :staff, :key || '-' || :client_id || '-' || :n, '04fdd72e2d1a99cbad8d8f31cb783b01735cb2e7ab7c5be1547bbdaa87d1ca6b', :tid, now())
  ON CONFLICT DO NOTHING RETURNING resource_id;
INSERT INTO tickets (id, number, type, category_id, grade, priority, priority_floor, status, channel, subject, description,
    details, tags, customer_id, contact_number, team_id, assignee_id, first_contact_owner_id, created_by_id, search_text,
    sla_due_at, sla_policy_hint, incident_id, created_at, updated_at)
  VALUES (:tid, :num, 'fault', NULL, 'general', 3, NULL, 'new', 'hotline', '宽带频繁掉线',
    '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线，要求尽快上门维修。', '{}', '{}', :customer, NULL, :team, NULL, :staff, :staff,
    '宽带 频繁 掉线 家里 宽带 每天 掉线 十几次 ， 光猫 指示灯 闪红 ， 重启 后 仍然 掉线 ， 要求 尽快 上门 维修 。',
    now() + interval '1 day', NULL, NULL, now(), now())
  RETURNING *;
INSERT INTO sla_targets (id, ticket_id, metric, policy_id, calendar_id, limit_ms, consumed_ms, running_since, warn_at,
    warnings_fired, escalation, escalations_fired, due_at, next_fire_at, breached_at, met_at, created_at, updated_at)
  VALUES
  (gen_random_uuid(), :tid, 'diagnosis', 'fault', 'cn-business', 3600000, 0, now(), '[0.75,0.9]', 0,
    '[{"actions":["notify_owner","notify_supervisor","raise_priority","flag"],"afterMs":0},{"actions":["reassign_tier2"],"afterMs":1800000}]',
    0, now() + interval '38 hours', now() + interval '37 hours', NULL, NULL, now(), now()),
  (gen_random_uuid(), :tid, 'handling_plan', 'fault', 'cn-business', 7200000, 0, now(), '[0.75,0.9]', 0,
    '[{"actions":["notify_owner","notify_supervisor","raise_priority","flag"],"afterMs":0},{"actions":["reassign_tier2"],"afterMs":1800000}]',
    0, now() + interval '39 hours', now() + interval '38 hours', NULL, NULL, now(), now()),
  (gen_random_uuid(), :tid, 'resolution', 'fault', 'always', 86400000, 0, now(), '[0.75,0.9]', 0,
    '[{"actions":["notify_owner","notify_supervisor","raise_priority","flag"],"afterMs":0},{"actions":["reassign_tier2"],"afterMs":1800000}]',
    0, now() + interval '1 day', now() + interval '18 hours', NULL, NULL, now(), now());
INSERT INTO ticket_events (ticket_id, actor_id, kind, data, created_at) VALUES
  (:tid, :staff, 'created', jsonb_build_object('type', 'fault', 'grade', 'general', 'number', :num::text, 'status', 'new',
    'channel', 'hotline', 'priority', 3, 'firstContactOwnerId', :staff::text), now()),
  (:tid, NULL, 'routed', jsonb_build_object('grade', 'general', 'queue', NULL, 'teamId', :team::text, 'matched', '[]'::jsonb,
    'priority', 3, 'addedTags', '[]'::jsonb, 'explanation',
    '["no routing rule matched; the ticket stays in the creator’s queue"]'::jsonb, 'slaPolicyHint', NULL), now()),
  (:tid, NULL, 'sla_started', '{"targets":[{"dueAt":"2026-11-30T02:00:00.000Z","metric":"diagnosis"},{"dueAt":"2026-11-30T03:00:00.000Z","metric":"handling_plan"},{"dueAt":"2026-11-29T12:17:54.732Z","metric":"resolution"}],"policyId":"fault","policyName":"故障 24小时修复"}', now());
COMMIT;
