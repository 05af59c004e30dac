-- The customer behind an order, as the ERP knows it, for the exemption flow's headers
-- x-fapi-customer-ip-address, x-customer-user-agent and x-fapi-customer-last-logged-time.
alter table payment_order add column customer_ip_address varchar(45);
alter table payment_order add column customer_user_agent varchar(500);
alter table payment_order add column customer_last_logged_at timestamp with time zone;
