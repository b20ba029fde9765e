package io.outrider.spi;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestSecurityActions
{
    @Test
    void everyActionIsUniqueAndNamedCategoryDotVerb()
            throws IllegalAccessException
    {
        List<String> actions = new ArrayList<>();
        for (Field field : SecurityActions.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                actions.add((String) field.get(null));
            }
        }
        assertThat(actions).hasSizeGreaterThan(20).doesNotHaveDuplicates();
        assertThat(actions).allMatch(action -> action.matches("[a-z]+\\.[a-z_]+"), "category.verb in lower case");
    }

    @Test
    void theActionsTheSshdParserShippedBeforeKeepTheirValues()
    {
        // buffers, dashboards and the LiteSOC mapping already hold these strings
        assertThat(SecurityActions.LOGIN_FAILED).isEqualTo("auth.login_failed");
        assertThat(SecurityActions.LOGIN_SUCCESS).isEqualTo("auth.login_success");
        assertThat(SecurityActions.LOGOUT).isEqualTo("auth.logout");
        assertThat(SecurityActions.PREAUTH_DISCONNECT).isEqualTo("auth.preauth_disconnect");
        assertThat(SecurityActions.SCAN).isEqualTo("auth.scan");
    }
}
