package dev.tapline.forwarder.facets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTemplateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/orders/17                                             | /orders/{id}",
        "/orders/17/items/3                                     | /orders/{id}/items/{id}",
        "/users/3f2b8c1d-9e3a-4b40-8c1d-9e3a7b40aa01/cart       | /users/{id}/cart",
        "/users/3F2B8C1D-9E3A-4B40-8C1D-9E3A7B40AA01            | /users/{id}",
        "/blobs/5f2b8c1d9e3a7b40                                | /blobs/{id}",
        "/commits/da39a3ee5e6b4b0d3255bfef95601890afd80709       | /commits/{id}",
        "/events/01ARZ3NDEKTSV4RRFFQ69G5FAV                     | /events/{id}",
        "/v2/orders                                             | /v2/orders",
        "/orders/latest                                         | /orders/latest",
        "/files/report-2026.pdf                                 | /files/report-2026.pdf",
        "/cafe                                                  | /cafe",
        "/deadbeef                                              | /deadbeef",
        "/api/very-long-segment-without-digits                  | /api/very-long-segment-without-digits",
        "/                                                      | /",
        "/orders/                                               | /orders/",
        "//17                                                   | //{id}",
        "*                                                      | *",
        "shop.example:443                                       | shop.example:443",
    })
    void idsNumbersUuidsAndLongHexFoldIntoId(String path, String template) {
        assertThat(PathTemplate.of(path)).isEqualTo(template);
    }
}
