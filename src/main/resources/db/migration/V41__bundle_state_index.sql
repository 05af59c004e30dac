-- A closing bundle takes its orders in chunks, and the stages read a bundle's orders in one state:
-- with (bundle_id, state, order_id) each chunk reads only the orders it takes, in order_id order.
create index payment_order_bundle_state_idx on payment_order (bundle_id, state, order_id);
-- How far a closing file bundle has reported its orders BUNDLED (its lines are stored BUNDLED).
alter table bundle add column reported_through varchar(64);
