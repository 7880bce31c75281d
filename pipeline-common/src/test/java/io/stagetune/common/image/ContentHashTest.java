package io.stagetune.common.image;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashTest {

    @Test
    void isTheLowercaseHexSha256OfTheBytes() {
        // The FIPS 180-2 test vector for "abc".
        assertThat(ContentHash.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
