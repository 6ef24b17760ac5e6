SELECT tessera_enable_tenant_rls('organization_invitations');
