package org.pisbridge.orders;

import java.time.Instant;

/**
 * One state change of one order, as published on {@code pis.status} (JMS correlation id =
 * orderId). {@code bankStatus} is the bank's own status word; {@code reason} says why, for
 * rejections and failures (with the bank's error body where there is one).
 */
public record StatusEvent(String orderId, String paymentId, String authorizationId, OrderState state,
                          String bankStatus, String reason, Instant timestamp) {
}
