-- No query looks orders up by batch_id (a declared batch is counted through its bundles'
-- batch_id), yet every stored order paid for this index.
drop index payment_order_batch_idx;
