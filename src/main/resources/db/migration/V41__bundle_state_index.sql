-- A closing bundle moves its RECEIVED orders in chunks, and the stages read a bundle's orders in
-- one state: with (bundle_id, state) each chunk reads only the orders it moves, not the whole bundle.
create index payment_order_bundle_state_idx on payment_order (bundle_id, state);
