package dev.tapline.goproxy.uplink;

/** Who this goproxy is, as told to the forwarder at registration (see ProxyIdentity in the .proto). */
public record ProxyIdentityInfo(String proxyId, String appLabel, String podName, String podNamespace, String proxyType,
        String version, String buildTime, String listenAddr, String backendAddr) {
}
