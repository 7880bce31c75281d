package io.stagetune.ingest;

import io.restassured.specification.RequestSpecification;
import io.stagetune.localstack.infrastructure.EmbeddedS3;
import io.stagetune.common.storage.ObjectStore;

import java.util.List;

import static io.restassured.RestAssured.given;

/** What the ingest tests share: the uploader's token and a look into the datasets bucket. */
public final class IngestTestSupport {

    public static final String TOKEN = "test-ingest-token";
    public static final String BUCKET = "datasets";

    private IngestTestSupport() {
    }

    public static RequestSpecification uploader() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    public static List<String> keys(EmbeddedS3 s3, String prefix) {
        return new ObjectStore(s3.settings()).list(BUCKET, prefix);
    }
}
