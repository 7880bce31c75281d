package io.stagetune.localstack.cli.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data body built in memory (batches are bounded, so this stays small). */
public final class Multipart {

    private final String boundary = "stagetune-" + UUID.randomUUID();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public Multipart file(String field, String fileName, String contentType, byte[] content) {
        return part("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName.replace("\"", "")
                + "\"\r\nContent-Type: " + contentType, content);
    }

    public Multipart field(String field, String value) {
        return part("Content-Disposition: form-data; name=\"" + field + "\"", value.getBytes(StandardCharsets.UTF_8));
    }

    private Multipart part(String headers, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] build() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(body.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return copy.toByteArray();
    }
}
