-- One single-row INSERT of a ticket-like row into a table of similar width (bench_raw, created by
-- bench/intake-ratio.ts): the floor the old ticket-creation suite compared with.
INSERT INTO bench_raw (id, number, type, status, subject, description, customer_id, owner_id)
  VALUES (gen_random_uuid(), gen_random_uuid()::text, 'fault', 'new', '宽带频繁掉线',
    '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线，要求尽快上门维修。', :customer, :team);
