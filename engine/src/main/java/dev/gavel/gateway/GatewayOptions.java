package dev.gavel.gateway;

import dev.gavel.condition.IpLiterals;
import dev.gavel.condition.IpRange;
import dev.gavel.report.DecisionIds;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a {@link Gateway} treats requests beyond their signature: the region it serves, whom it
 * believes about the client's address, its clock and where its decision ids come from.
 *
 * @param region the region signatures must be scoped to, or null to accept any
 * @param forwardedFor the header that names the client's address when a trusted proxy forwards
 *     the request, such as {@code X-Forwarded-For}; null to trust no such header
 * @param trustedProxies the addresses whose {@code forwardedFor} header is believed; a request
 *     with no peer address (one that came over a Unix socket) is always believed
 * @param clock the clock signatures are checked against
 * @param decisionIds the source of decision ids
 */
public record GatewayOptions(String region, String forwardedFor, List<IpRange> trustedProxies, Clock clock,
        Supplier<String> decisionIds) {

    public GatewayOptions {
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(decisionIds, "decisionIds");
    }

    /** Any region, no forwarded header, the system clock, and {@link DecisionIds}. */
    public static GatewayOptions defaults() {
        return new GatewayOptions(null, null, List.of(), Clock.systemUTC(), DecisionIds::next);
    }

    public GatewayOptions withRegion(String region) {
        return new GatewayOptions(region, forwardedFor, trustedProxies, clock, decisionIds);
    }

    /** Believes {@code header} (such as {@code X-Forwarded-For}) from the given proxies and Unix-socket peers. */
    public GatewayOptions withForwardedFor(String header, List<IpRange> proxies) {
        return new GatewayOptions(region, header, proxies, clock, decisionIds);
    }

    public GatewayOptions withClock(Clock clock) {
        return new GatewayOptions(region, forwardedFor, trustedProxies, clock, decisionIds);
    }

    public GatewayOptions withDecisionIds(Supplier<String> decisionIds) {
        return new GatewayOptions(region, forwardedFor, trustedProxies, clock, decisionIds);
    }

    /** Whether the peer at this address (null: a Unix-socket peer) is a proxy whose forwarded header counts. */
    boolean trusts(String address) {
        if (address == null) {
            return true;
        }
        byte[] bytes = IpLiterals.parse(address.trim());
        if (bytes == null) {
            return false;
        }
        for (IpRange range : trustedProxies) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
