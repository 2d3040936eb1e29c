package dev.tapline.forwarder.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.forwarder.registry.FleetProxies;
import dev.tapline.forwarder.registry.ProxyRecord;
import dev.tapline.forwarder.registry.ProxyRegistry;

/** {@code GET /api/v1/proxies}: the registered proxies ("live", on an indexer the fleet's) and the recently reaped ones ("reaped"). */
@Path("/api/v1/proxies")
@Produces(MediaType.APPLICATION_JSON)
public class ProxiesResource {

    @Inject
    ProxyRegistry registry;
    @Inject
    FleetProxies fleet;

    /** One proxy as the API shows it; times are RFC 3339. */
    public record ProxyView(String proxyId, String appLabel, String podName, String podNamespace, String proxyType,
            String version, String registeredAt, String lastCheckIn, String state) {

        public static ProxyView of(ProxyRecord r, String state) {
            ProxyIdentity id = r.identity();
            return new ProxyView(id.getProxyId(), id.getAppLabel(), id.getPodName(), id.getPodNamespace(),
                    id.getProxyType(), id.getVersion(), r.registeredAt().toString(), r.lastCheckIn().toString(), state);
        }
    }

    @GET
    public List<ProxyView> list() {
        List<ProxyView> out = new ArrayList<>();
        registry.all().stream().sorted(Comparator.comparing(r -> r.identity().getProxyId()))
                .forEach(r -> out.add(ProxyView.of(r, "live")));
        // an indexer (INDEX_FROM_KAFKA) also shows the proxies registered with the fleet's other forwarders
        fleet.live().stream().filter(r -> !registry.isKnown(r.identity().getProxyId()))
                .sorted(Comparator.comparing(r -> r.identity().getProxyId()))
                .forEach(r -> out.add(ProxyView.of(r, "live")));
        registry.reaped().forEach(r -> out.add(ProxyView.of(r, "reaped")));
        return out;
    }
}
